using System.Globalization;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// How much exploring each scenario gets from the home engine. By default only the preemption-bounded exhaustive search
/// runs: Coyote's portfolio (tests/Concurrency/Coyote) covers random and PCT exploration, and the exhaustive search,
/// which Coyote 1.7.11 does not offer, is what the home engine is kept for (README: which engine proves what). Random
/// and PCT runs of the home engine remain available by setting <see cref="RandomIterations"/> and <see cref="PctDepths"/>.
/// <c>SHAREDTASK_CONCURRENCY_BUDGET</c> multiplies every iteration count (e.g. 20 for a long run), and
/// <c>SHAREDTASK_CONCURRENCY_SEED</c> changes the base seed (CI uses a fixed one, so a red run is reproducible); both
/// engines read them.
/// </summary>
internal sealed record ExplorationBudget
{
    internal const string MultiplierVariable = "SHAREDTASK_CONCURRENCY_BUDGET";
    internal const string SeedVariable = "SHAREDTASK_CONCURRENCY_SEED";

    /// <summary>Iterations of the home engine's random strategy (off by default: Coyote's portfolio runs random).</summary>
    internal int RandomIterations { get; init; }

    /// <summary>
    /// Random iterations per scenario in the quick first round of a breadth-first exploration (the mutant runs): a
    /// shallow bug surfaces cheaply wherever it is before any scenario's full search starts.
    /// </summary>
    internal int QuickRoundIterations { get; init; } = 200;

    /// <summary>
    /// The PCT confidence target: iterations per depth are sized from the bound 1/(n·k^(d-1)) of Burckhardt et al., ASPLOS 2010 for the
    /// scenario's measured threads n and decisions k, for this probability of finding a bug of depth 2.
    /// </summary>
    internal double PctConfidence { get; init; } = 0.99;

    /// <summary>The home engine's PCT depths, each with its own iterations (none by default: Coyote's portfolio runs PCT).</summary>
    internal IReadOnlyList<int> PctDepths { get; init; } = [];

    /// <summary>The most PCT iterations one depth may take, whatever the bound asks.</summary>
    internal int PctIterationCap { get; init; } = 4000;

    /// <summary>The preemption bound of the exhaustive search.</summary>
    internal int PreemptionBound { get; init; } = 2;

    /// <summary>The most schedules the exhaustive search may explore before it reports that it did not finish.</summary>
    internal int ExhaustiveScheduleCap { get; init; } = 20_000;

    /// <summary>Scheduling points one iteration may take before it is a livelock.</summary>
    internal int MaxSteps { get; init; } = 20_000;

    /// <summary>Stop exploring a scenario after this long even if iterations remain (reported).</summary>
    internal TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The base seed every strategy's seed derives from.</summary>
    internal ulong Seed { get; init; } = 20_260_101;

    /// <summary>The multiplier the counts were scaled by.</summary>
    internal double Multiplier { get; init; } = 1;

    /// <summary>The defaults scaled by the environment's multiplier and seed.</summary>
    internal static ExplorationBudget FromEnvironment()
    {
        var budget = new ExplorationBudget();
        string? multiplierText = Environment.GetEnvironmentVariable(MultiplierVariable);
        if (!string.IsNullOrWhiteSpace(multiplierText))
        {
            double multiplier = double.Parse(multiplierText, NumberStyles.Float, CultureInfo.InvariantCulture);
            budget = budget.Scaled(multiplier);
        }

        string? seedText = Environment.GetEnvironmentVariable(SeedVariable);
        if (!string.IsNullOrWhiteSpace(seedText))
        {
            budget = budget with { Seed = ulong.Parse(seedText, NumberStyles.None, CultureInfo.InvariantCulture) };
        }

        return budget;
    }

    /// <summary>Every count and the time limit multiplied by <paramref name="multiplier"/>.</summary>
    internal ExplorationBudget Scaled(double multiplier)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(multiplier);
        int Scale(int count) => (int)Math.Max(1, Math.Ceiling(count * multiplier));
        return this with
        {
            RandomIterations = Scale(RandomIterations),
            QuickRoundIterations = Scale(QuickRoundIterations),
            PctIterationCap = Scale(PctIterationCap),
            ExhaustiveScheduleCap = Scale(ExhaustiveScheduleCap),
            TimeLimit = TimeLimit * multiplier,
            Multiplier = Multiplier * multiplier,
        };
    }

    /// <summary>PCT iterations for confidence <see cref="PctConfidence"/> on a bug of depth 2 among n threads and k decisions.</summary>
    internal int PctIterationsFor(int threads, int decisions)
    {
        // P(miss in N runs) <= (1 - 1/(n·k))^N, so N = ln(1 - confidence) / ln(1 - 1/(n·k)).
        double perRun = 1.0 / (Math.Max(threads, 1) * (double)Math.Max(decisions, 1));
        double needed = perRun >= 1 ? 1 : Math.Log(1 - PctConfidence) / Math.Log(1 - perRun);
        return (int)Math.Ceiling(needed * Multiplier);
    }
}
