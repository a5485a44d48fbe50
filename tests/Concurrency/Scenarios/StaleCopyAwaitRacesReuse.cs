namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// A plain copy of a completion source's handle gets a continuation (registered straight through UnsafeOnCompleted, as an
/// awaiter may without asking IsCompleted first) after, on another thread, the handle itself was consumed (the use ended
/// and the frame went back to its pool) and, on a third, a new source rented that frame and registered an awaiter of its
/// own, and before that new operation completes. The waits fix that order; every interleaving of the steps within it is
/// explored. The stale registration must be refused and its continuation run at once, reporting the misuse: it must
/// never land in the new operation's waiters, to be resumed late by that operation's completer.
/// </summary>
internal sealed class StaleCopyAwaitRacesReuse : Scenario
{
    /// <summary>The OS thread of the reuser while it completes the new operation (0 otherwise).</summary>
    private int _reuserCompletingOn;

    private bool _resumedByReuser;
    private volatile bool _consumed;
    private volatile bool _reuserRegistered;
    private volatile bool _staleRegistered;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        var source = new SimpleTaskCompletionSource<int>(); // not recorded: the copy and the handle share one reference
        SimpleTask<int> handle = source.Task, copy = handle;
        context.Model.ExpectResume("stale copy", Awaiters.Misuse);
        context.Model.ExpectResume("new operation's awaiter", 2);

        context.Spawn("completer and consumer", () =>
        {
            source.SetResult(1);
            source.Dispose();
            _ = handle.GetAwaiter().GetResult();
            _consumed = true;
        });
        context.Spawn("reuser", () =>
        {
            context.WaitUntil(() => _consumed, "the old handle was consumed and its frame returned");
            SimpleTaskCompletionSource<int> next = own.NewSource<int>();
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.TaskOf(next)), "new operation's awaiter", context.Model)));
            _reuserRegistered = true;
            context.WaitUntil(() => _staleRegistered, "the stale copy registered");
            // A logical thread keeps its OS thread until it ends, so no other logical thread runs on this one meanwhile.
            _reuserCompletingOn = Environment.CurrentManagedThreadId;
            next.SetResult(2);
            _reuserCompletingOn = 0;
            own.Dispose(next);
        });

        context.WaitUntil(() => _reuserRegistered, "the new operation has an awaiter");
        SimpleTask<int>.Awaiter stale = copy.GetAwaiter();
        stale.UnsafeOnCompleted(() =>
        {
            object outcome;
            try
            {
                outcome = stale.GetResult();
            }
            catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
            {
                outcome = Awaiters.Misuse;
            }

            _resumedByReuser = _reuserCompletingOn == Environment.CurrentManagedThreadId;
            context.Model.Resumed("stale copy", outcome);
        });
        _staleRegistered = true;
    }

    internal override void CheckEnd(IScenarioContext context) =>
        context.Model.Check(
            !_resumedByReuser,
            "the stale copy's await was resumed by the completer of the operation that reused its frame: it had landed in that operation's waiters");
}
