using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>The controlled-scheduling engine's implementation of what scenarios may ask.</summary>
internal sealed class EngineScenarioContext(ControlledScheduler scheduler) : IScenarioContext
{
    public ShadowModel Model => scheduler.Model;

    public void Spawn(string name, Action body) => scheduler.Spawn(name, body);

    public void Yield(string what) => scheduler.Yield(what);

    public void WaitUntil(Func<bool> condition, string description) => scheduler.WaitUntil(condition, description);
}
