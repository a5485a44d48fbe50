using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>What exploring one scenario with the Coyote portfolio did: each strategy's run, and the first failure.</summary>
internal sealed class CoyoteReport(string scenario) : ExplorationReport<CoyoteFailure>(scenario, engine: "coyote ");
