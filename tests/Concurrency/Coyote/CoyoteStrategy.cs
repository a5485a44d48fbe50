using Microsoft.Coyote;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>One entry of the Coyote portfolio: a Coyote exploration strategy with its bound, and how many iterations it gets.</summary>
internal sealed record CoyoteStrategy(string Kind, string Bound, Func<Configuration, Configuration> Configure, int Iterations)
{
    /// <summary>The kind with its bound, as reports print it: "pct(change points<=1)".</summary>
    internal string Name => Bound.Length == 0 ? Kind : $"{Kind}({Bound})";

    /// <summary>Uniformly random choice at every scheduling point.</summary>
    internal static CoyoteStrategy Random(int iterations) => new("random", "", c => c.WithRandomStrategy(), iterations);

    /// <summary>
    /// PCT (Coyote's prioritization): random operation-group priorities and <paramref name="changePoints"/> at most
    /// random priority change points, which finds a bug of depth changePoints + 1 with probability at least
    /// 1/(n·k^changePoints) per iteration (n groups, k scheduling decisions).
    /// </summary>
    internal static CoyoteStrategy Pct(int changePoints, int iterations) =>
        new("pct", $"change points<={changePoints}", c => c.WithPrioritizationStrategy(isFair: false, (uint)changePoints), iterations);

    /// <summary>PCT for a bounded prefix, then random (fair): reaches schedules that finish starved operations.</summary>
    internal static CoyoteStrategy FairPct(int changePoints, int iterations) =>
        new("fair-pct", $"change points<={changePoints}", c => c.WithPrioritizationStrategy(isFair: true, (uint)changePoints), iterations);

    /// <summary>Keeps the running operation with a high probability, switching with probability 1/2^level: long runs, few switches.</summary>
    internal static CoyoteStrategy Probabilistic(int level, int iterations) =>
        new("probabilistic", $"level={level}", c => c.WithProbabilisticStrategy((uint)level), iterations);

    /// <summary>Round-robin with at most <paramref name="delays"/> random delays (Emmi, Qadeer and Rakamaric, POPL 2011).</summary>
    internal static CoyoteStrategy DelayBounding(int delays, int iterations) =>
        new("delay-bounding", $"delays<={delays}", c => c.WithDelayBoundingStrategy(isFair: false, (uint)delays), iterations);
}
