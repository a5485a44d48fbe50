namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// A SingleFlight caller releases its one handle twice, through a plain copy, on two threads, while a second caller
/// waits for the same load and the load completes. One release is refused at the misuser; the second caller's seat is
/// never taken: it resumes once with the value and the load's token is never canceled while it waits.
/// </summary>
internal sealed class SingleFlightDoubleReleaseWhileLoadRuns : Scenario
{
    private int _releases;
    private int _refusals;
    private CancellationToken _loadToken;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        var flights = new SingleFlight<int, int>();
        var load = new SimpleTaskCompletionSource<int>();
        Func<int, CancellationToken, SimpleTask<int>> start = (_, token) =>
        {
            _loadToken = token;
            return load.Task;
        };
        SimpleTask<int> mine = flights.RunAsync(1, start), copy = mine;
        SimpleTask<int> theirs = own.Took(flights.RunAsync(1, start));
        context.Model.ExpectResume("other caller", 8);

        context.Spawn("releaser", () => Release(copy));
        context.Spawn("load completer", () =>
        {
            context.Model.Check(!_loadToken.IsCancellationRequested, "the load was canceled while a caller still waited for it");
            load.SetResult(8);
            load.Dispose();
        });
        own.Dispose(own.Took(Awaiters.Record(own.Consuming(theirs), "other caller", context.Model)));
#pragma warning disable SHTASK001, SHTASK003 // The misuse under test: one caller's handle released through itself and its plain copy.
        Release(mine);
#pragma warning restore SHTASK001, SHTASK003
    }

    internal override void CheckEnd(IScenarioContext context) =>
        context.Model.Check(
            _releases == 1 && _refusals == 1,
            $"one caller's handle released twice must succeed once and be refused once, saw {_releases} releases and {_refusals} refusals");

    private void Release(SimpleTask<int> handle)
    {
        try
        {
            handle.Dispose();
            _releases++;
        }
        catch (ObjectDisposedException)
        {
            _refusals++;
        }
    }
}
