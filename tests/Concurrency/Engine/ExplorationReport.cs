namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>What exploring one scenario with the home engine did.</summary>
internal sealed class ExplorationReport(string scenario) : ExplorationReport<Failure>(scenario, engine: "");
