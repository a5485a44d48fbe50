namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Three threads run short operations through the same pools at once (source frames, async-method frames, foreign
/// continuation nodes), so rents and returns of one frame type interleave and frames move between threads. No object
/// may be handed to two owners, returned twice, or returned dirty; every awaiter gets its own operation's value.
/// </summary>
internal sealed class PoolRentAndReturnRace : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        for (int thread = 1; thread <= 2; thread++)
        {
            int value = thread * 10;
            context.Spawn($"worker {thread}", () => RunOperations(context, own, value));
        }

        RunOperations(context, own, 30);
    }

    private static void RunOperations(IScenarioContext context, Ownership own, int firstValue)
    {
        for (int value = firstValue; value < firstValue + 2; value++)
        {
            SimpleTaskCompletionSource<int> source = own.NewSource<int>();
            SimpleTask<int> task = own.TaskOf(source);
            SimpleTask<int> foreign = own.Share(task);
            string method = $"method {value}";
            string continuation = $"foreign {value}";
            context.Model.ExpectResume(method, value);
            context.Model.ExpectResume(continuation, value);
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(task), method, context.Model)));
            Awaiters.RecordForeign(own.Consuming(foreign), continuation, context.Model);
            source.SetResult(value);
            own.Dispose(source);
        }
    }
}
