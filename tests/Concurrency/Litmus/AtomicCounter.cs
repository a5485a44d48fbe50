using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Litmus;

/// <summary>The same two increments as <see cref="NonAtomicCounter"/>, each one interlocked step: no schedule loses one.</summary>
internal sealed class AtomicCounter : Scenario
{
    private int _counter;

    internal override void Run(IScenarioContext context)
    {
        context.Spawn("incrementer", () => Increment(context));
        Increment(context);
    }

    internal override void CheckEnd(IScenarioContext context) =>
        context.Model.Check(_counter == 2, $"two increments left the counter at {_counter}: an update was lost");

    private void Increment(IScenarioContext context)
    {
        context.Yield("increment counter");
        Interlocked.Increment(ref _counter);
    }
}
