namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>Why an iteration failed.</summary>
internal enum FailureKind
{
    /// <summary>The shadow model or a scenario check saw an invariant broken.</summary>
    InvariantViolated,

    /// <summary>No logical thread could run while some had not finished.</summary>
    Deadlock,

    /// <summary>The iteration took more scheduling points than the step bound: a livelock or an endless retry loop.</summary>
    StepBoundExceeded,

    /// <summary>A logical thread threw an exception the scenario did not expect.</summary>
    UnhandledException,

    /// <summary>A replayed schedule did not match the run.</summary>
    ReplayDiverged,
}
