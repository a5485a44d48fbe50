namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// One handle, the last reference to a completed operation, is consumed twice (a misused struct copy): an async
/// method awaits it while a stale copy on another thread reads it, shares it and disposes it; meanwhile a third thread
/// starts the next operation, which (from a LIFO pool) reuses the same frame. The misuse may win or lose against the
/// awaiter, but it must never reach the next operation: that operation's awaiter sees its own value, and no recycled
/// frame is written. (A stale copy that suspends on the handle is <see cref="KnownIssues.StaleAwaitRacesRecycle"/>.)
/// </summary>
internal sealed class StaleHandleRacesRecycleAndReuse : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();

        // Deliberately not recorded in the model: two threads use this one reference, and which one releases it is
        // the race. It is the last reference, so the misuse cannot steal another owner's count (nothing could detect
        // that: while a frame is live, one release looks like any other).
        SimpleTask<int> contended = source.Task;
        source.SetResult(1);
        own.Dispose(source);
        context.Model.ExpectResume("next operation's awaiter", 2);

        context.Spawn("first consumer", () => Awaiters.RecordMisuse(contended));
        context.Spawn("stale copy", () =>
        {
            try
            {
                contended.GetAwaiter().GetResult();
            }
            catch (ObjectDisposedException)
            {
                // The frame was released. Never "not completed": the operation completed before the race, so a reset
                // waiter slot seen here means a recycle, which must be reported as the stale handle it is.
            }

            try
            {
                contended.Share().Dispose();
            }
            catch (InvalidOperationException)
            {
                // Expected once the frame was released (ObjectDisposedException is one).
            }

            try
            {
                contended.Dispose();
            }
            catch (InvalidOperationException)
            {
                // Expected once the frame was released (ObjectDisposedException is one).
            }
        });
        context.Spawn("next operation", () =>
        {
            SimpleTaskCompletionSource<int> next = own.NewSource<int>();
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.TaskOf(next)), "next operation's awaiter", context.Model)));
            context.Yield("before completing the next operation");
            next.SetResult(2);
            own.Dispose(next);
        });
    }
}
