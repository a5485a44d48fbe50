namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// A producer callback's TrySetResult races the owner, who gives up its consumer handle, disposes the source and
/// starts the next operation (which, from a LIFO pool, reuses the same frame). Whatever the order, the late TrySet must
/// neither write into the recycled frame nor complete the next operation with its value.
/// </summary>
internal sealed class CompletionSourceTrySetRacesDispose : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        SimpleTask<int> task = own.TaskOf(source);
        context.Model.ExpectResume("next operation's awaiter", 2);

        context.Spawn("producer callback", () => source.TrySetResult(1));
        context.Spawn("owner", () =>
        {
            own.Dispose(task);
            own.Dispose(source);

            SimpleTaskCompletionSource<int> next = own.NewSource<int>();
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.TaskOf(next)), "next operation's awaiter", context.Model)));
            context.Yield("before completing the next operation");
            next.SetResult(2);
            own.Dispose(next);
        });
    }
}
