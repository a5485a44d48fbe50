using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Litmus;

/// <summary>
/// A thread that spins (with a scheduling point per retry) for two signals when only one ever comes: a livelock that
/// never blocks, so only the step bound can catch it.
/// </summary>
internal sealed class EndlessRetry : Scenario
{
    private int _signals;

    internal override void Run(IScenarioContext context)
    {
        context.Spawn("signaler", () =>
        {
            context.Yield("signal once");
            Interlocked.Increment(ref _signals);
        });

        while (Volatile.Read(ref _signals) < 2)
        {
            context.Yield("retry");
        }
    }
}
