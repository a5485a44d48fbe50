using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// What a scenario may ask of the engine running it. Kept small so that a second engine (Microsoft.Coyote, once it can
/// be restored) could run the same scenarios: Spawn is a controlled task, Yield a scheduling point, WaitUntil a
/// controlled wait.
/// </summary>
internal interface IScenarioContext
{
    /// <summary>The shadow model checking this iteration.</summary>
    ShadowModel Model { get; }

    /// <summary>Starts another logical thread.</summary>
    void Spawn(string name, Action body);

    /// <summary>An explicit scheduling point in scenario code.</summary>
    void Yield(string what);

    /// <summary>Blocks this logical thread until <paramref name="condition"/> (a pure read of scenario state) holds.</summary>
    void WaitUntil(Func<bool> condition, string description);
}
