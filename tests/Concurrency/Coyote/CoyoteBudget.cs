using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// How much exploring each scenario gets under Coyote. Scaled by the same <c>SHAREDTASK_CONCURRENCY_BUDGET</c> multiplier
/// and seeded from the same <c>SHAREDTASK_CONCURRENCY_SEED</c> as the home engine (<see cref="ExplorationBudget"/>), whose
/// PCT bound also sizes the PCT runs here.
/// </summary>
internal sealed record CoyoteBudget
{
    /// <summary>The home engine's budget: multiplier, seed, and the PCT confidence and formula.</summary>
    internal required ExplorationBudget Shared { get; init; }

    /// <summary>Iterations of the random strategy, which also measures the scenario's threads and steps for PCT.</summary>
    internal int RandomIterations { get; init; } = 250;

    /// <summary>The most iterations the PCT runs may take, whatever the bound asks.</summary>
    internal int PctIterationCap { get; init; } = 800;

    /// <summary>Iterations of each of the other strategies (fair PCT, probabilistic, delay-bounding).</summary>
    internal int OtherIterations { get; init; } = 200;

    /// <summary>Coyote scheduling steps one iteration may take before it fails as a livelock.</summary>
    internal int MaxSteps { get; init; } = 20_000;

    /// <summary>Stop exploring a scenario after this long even if iterations remain (reported).</summary>
    internal TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the threads of a failed iteration may take to unwind before the run is declared stuck.</summary>
    internal TimeSpan UnwindTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal uint Seed => unchecked((uint)(Shared.Seed ^ (Shared.Seed >> 32)));

    /// <summary>The defaults scaled by the environment's multiplier and seed.</summary>
    internal static CoyoteBudget FromEnvironment() => From(ExplorationBudget.FromEnvironment());

    /// <summary>The defaults scaled by <paramref name="shared"/>'s multiplier.</summary>
    internal static CoyoteBudget From(ExplorationBudget shared)
    {
        int Scale(int count) => (int)Math.Max(1, Math.Ceiling(count * shared.Multiplier));
        var defaults = new CoyoteBudget { Shared = shared };
        return defaults with
        {
            RandomIterations = Scale(defaults.RandomIterations),
            PctIterationCap = Scale(defaults.PctIterationCap),
            OtherIterations = Scale(defaults.OtherIterations),
            TimeLimit = defaults.TimeLimit * shared.Multiplier,
        };
    }
}
