using SharedTask.Coalescing;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// SingleFlight: a second caller asks for a key while the first caller's load completes on another thread. It either
/// joins the load in flight or, if the load already finished, starts its own; both callers resume once with the value
/// of the load they got, and every flight and caller frame goes back to its pool.
/// </summary>
internal sealed class SingleFlightJoinRacesLoadCompletion : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        var flight = new SingleFlight<int, int>();
        var load = new SimpleTaskCompletionSource<int>();
        context.Model.ExpectResume("first caller", 5);
        context.Model.ExpectResume("joining caller", 5);

        own.Dispose(own.Took(Awaiters.Record(own.Consuming(own.Took(flight.RunAsync(1, (_, _) => load.Task))), "first caller", context.Model)));
        context.Spawn("load completer", () =>
        {
            load.SetResult(5);
            load.Dispose();
        });
        context.Spawn("joining caller", () =>
        {
            // If the first load is over, this caller's own load answers at once with the same value.
            SimpleTask<int> joined = own.Took(flight.RunAsync(1, (_, _) => SimpleTask.FromResult(5)));
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(joined), "joining caller", context.Model)));
        });
    }
}
