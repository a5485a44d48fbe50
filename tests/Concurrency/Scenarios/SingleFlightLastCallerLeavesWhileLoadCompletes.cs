using SharedTask.Coalescing;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// SingleFlight: the only caller releases its handle (leaves) while the load completes on another thread, and a later
/// caller asks for the same key. Leaving must not strand or double-release the load's frame; the later caller resumes
/// once, and every flight and caller frame goes back to its pool.
/// </summary>
internal sealed class SingleFlightLastCallerLeavesWhileLoadCompletes : Scenario
{
    private int _later = -1;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        var flight = new SingleFlight<int, int>();
        var load = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> caller = own.Took(flight.RunAsync(1, (_, _) => load.Task));
        context.Model.ExpectResume("later caller", null);

        context.Spawn("load completer", () =>
        {
            load.SetResult(5);
            load.Dispose();
        });
        context.Spawn("leaving caller", () => own.Dispose(caller));
        context.Spawn("later caller", () =>
        {
            SimpleTask<int> later = own.Took(flight.RunAsync(1, (_, _) => SimpleTask.FromResult(6)));
            own.Dispose(own.Took(RecordLater(own.Consuming(later), context)));
        });
    }

    internal override void CheckEnd(IScenarioContext context) =>
        context.Model.Check(_later is 5 or 6, $"the later caller observed {_later}; only the first load (5) or its own (6) may answer");

    private async SimpleTask<int> RecordLater(SimpleTask<int> task, IScenarioContext context)
    {
        // The loads here ignore their token, so even a join of an abandoned load must deliver a value, never an exception.
        _later = await task;
        context.Model.Resumed("later caller", null);
        return 0;
    }
}
