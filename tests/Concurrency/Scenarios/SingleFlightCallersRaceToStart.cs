namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Three callers ask at once, on three threads, with no flight in progress: two for key 1 and one for key 2. For each
/// key one caller starts the load and a racing caller of the same key joins it (or starts its own if the first flight
/// already finished); a start that loses the race for the key discards its frame. Every caller resumes once with its
/// own key's value, and every flight frame goes back exactly once.
/// </summary>
internal sealed class SingleFlightCallersRaceToStart : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        var flights = new SingleFlight<int, int>();
        Func<int, CancellationToken, SimpleTask<int>> load = static (key, _) => Delayed(key * 10);
        context.Model.ExpectResume("first caller of 1", 10);
        context.Model.ExpectResume("second caller of 1", 10);
        context.Model.ExpectResume("caller of 2", 20);

        context.Spawn("second caller of 1", () =>
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.Took(flights.RunAsync(1, load))), "second caller of 1", context.Model))));
        context.Spawn("caller of 2", () =>
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.Took(flights.RunAsync(2, load))), "caller of 2", context.Model))));
        own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.Took(flights.RunAsync(1, load))), "first caller of 1", context.Model)));
    }

    /// <summary>A load that suspends once (a thread-pool hop the engine turns into a logical thread) before its value.</summary>
    private static async SimpleTask<int> Delayed(int value)
    {
        await ThreadPoolHop.Instance;
        return value;
    }
}
