using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Litmus;

/// <summary>Two threads increment a counter by reading it and writing it back: the classic lost update.</summary>
internal sealed class NonAtomicCounter : Scenario
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
        context.Yield("read counter");
        int seen = Volatile.Read(ref _counter);
        context.Yield("write counter");
        Volatile.Write(ref _counter, seen + 1);
    }
}
