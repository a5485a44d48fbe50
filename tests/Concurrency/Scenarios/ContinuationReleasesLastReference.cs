namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Completion from inside a continuation, so the awaiters are queued on the completing thread's trampoline: each
/// queued continuation consumes its handle and completes its own method, so the frames it runs in, and finally the
/// awaited frame itself, are released and recycled while later awaiters are still queued. Meanwhile another thread
/// calls the same async method, renting those recycled frames and linking them into another waiter list. The
/// trampoline must have read each node's link before running it, and every awaiter resumes once with its value.
/// </summary>
internal sealed class ContinuationReleasesLastReference : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> awaited = own.NewSource<int>();
        SimpleTaskCompletionSource<int> trigger = own.NewSource<int>();
        SimpleTask<int> first = own.TaskOf(awaited);
        SimpleTask<int> second = own.Share(first);
        context.Model.ExpectResume("awaiter 1", 5);
        context.Model.ExpectResume("awaiter 2", 5);
        context.Model.ExpectResume("reused method", 9);

        // Both awaiters' handles are disposed at once, so each method's frame is released by its own continuation.
        own.Dispose(own.Took(Awaiters.Record(own.Consuming(first), "awaiter 1", context.Model)));
        own.Dispose(own.Took(Awaiters.Record(own.Consuming(second), "awaiter 2", context.Model)));
        own.Dispose(own.Took(CompleteAfter(own.Consuming(own.TaskOf(trigger)), awaited, own)));

        context.Spawn("trigger", () =>
        {
            trigger.SetResult(0);
            own.Dispose(trigger);
        });
        context.Spawn("reuser", () =>
        {
            SimpleTaskCompletionSource<int> other = own.NewSource<int>();
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.TaskOf(other)), "reused method", context.Model)));
            context.Yield("before completing the other operation");
            other.SetResult(9);
            own.Dispose(other);
        });
    }

    /// <summary>Completes <paramref name="source"/> from a continuation: its awaiters queue behind this one.</summary>
    private static async SimpleTask<int> CompleteAfter(SimpleTask<int> trigger, SimpleTaskCompletionSource<int> source, Ownership own)
    {
        await trigger;
        source.SetResult(5);
        own.Dispose(source);
        return 0;
    }
}
