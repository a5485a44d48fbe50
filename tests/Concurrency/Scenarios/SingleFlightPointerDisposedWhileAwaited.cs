namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// The SingleFlight form of <see cref="PromisePtrDisposedWhileAwaited"/>: a caller moves its handle into a PromisePtr,
/// awaits it on one thread and disposes it on another while the load completes on a third. The await resumes exactly
/// once (value or ObjectDisposedException), and the flight and every frame go back to their pools.
/// </summary>
internal sealed class SingleFlightPointerDisposedWhileAwaited : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        var flights = new SingleFlight<int, int>();
        var load = new SimpleTaskCompletionSource<int>();
        PromisePtr<int> pointer = own.Took(flights.RunAsync(1, (_, _) => load.Task)).ToPromisePtr();
        context.Model.ExpectResumeWithAnyOf("pointer awaiter", 6, Awaiters.Misuse);

        PromisePtr<int> awaited = pointer;
        context.Spawn("awaiter", () => Awaiters.RecordValueOrMisuse(awaited, "pointer awaiter", context.Model).Dispose());
        context.Spawn("load completer", () =>
        {
            load.SetResult(6);
            load.Dispose();
        });
        own.Dispose(ref pointer);
    }
}
