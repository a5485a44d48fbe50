namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// A concurrency scenario: logical threads over the real library, described independently of the engine that runs
/// them. <see cref="Run"/> is logical thread 0; it creates the iteration's objects and starts the other threads through
/// <see cref="IScenarioContext.Spawn"/>. A fresh instance runs every iteration, so fields hold one iteration's state.
/// </summary>
/// <remarks>
/// Rules that keep every step under the engine's control (and so keep a schedule replayable): touch the library only
/// from logical threads; suspend only on SharedTask handles and sources (never on a Task, a lock or a sleep); make the
/// outcome depend on nothing but the schedule (no clocks, no randomness, no hash order).
/// </remarks>
internal abstract class Scenario
{
    /// <summary>The name tests and schedule strings use.</summary>
    internal string Name => GetType().Name;

    /// <summary>The body of logical thread 0.</summary>
    internal abstract void Run(IScenarioContext context);

    /// <summary>Checks after every logical thread finished: reads of scenario state only, no library calls.</summary>
    internal virtual void CheckEnd(IScenarioContext context)
    {
    }
}
