namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// The only caller of a SingleFlight load leaves (releases its handle) on one thread while a second caller asks for the
/// same key on another. The second caller either joins before the first leaves (the flight is not abandoned and its
/// load gives the value) or finds the flight abandoned, refuses it and starts its own load: it never joins a flight
/// whose load is being canceled, so it always gets the value. Loads honour their token after one hop.
/// </summary>
internal sealed class SingleFlightJoinRacesAbandonment : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        var flights = new SingleFlight<int, int>();
        Func<int, CancellationToken, SimpleTask<int>> load = static (_, token) => CancelableLoad(token);
        context.Model.ExpectResume("second caller", 7);

        SimpleTask<int> first = own.Took(flights.RunAsync(1, load));
        context.Spawn("second caller", () =>
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.Took(flights.RunAsync(1, load))), "second caller", context.Model))));
        own.Dispose(first);
    }

    private static async SimpleTask<int> CancelableLoad(CancellationToken token)
    {
        await ThreadPoolHop.Instance;
        token.ThrowIfCancellationRequested();
        return 7;
    }
}
