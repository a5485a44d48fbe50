using System.Globalization;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>What one strategy of the portfolio did on one scenario.</summary>
internal sealed class StrategyRun(string strategy)
{
    internal string Strategy { get; } = strategy;

    internal int Iterations { get; set; }

    /// <summary>Distinct schedules: for the exhaustive search, each iteration is a new schedule.</summary>
    internal int DistinctSchedules { get; set; }

    /// <summary>For the exhaustive search: whether it explored every schedule within its bound.</summary>
    internal bool? Exhausted { get; set; }

    /// <summary>What the PCT bound asked for, when it was capped.</summary>
    internal string? Note { get; set; }

    internal int MaxSteps { get; set; }

    /// <summary>Decisions (points where more than one thread could run); not measured under Coyote (0).</summary>
    internal int MaxDecisions { get; set; }

    internal int MaxThreads { get; set; }

    internal TimeSpan Elapsed { get; set; }

    public override string ToString()
    {
        string exhausted = Exhausted switch
        {
            true => ", space exhausted",
            false => ", space NOT exhausted (cap or time limit reached)",
            null => "",
        };
        string note = Note is null ? "" : $" ({Note})";
        string decisions = MaxDecisions > 0 ? string.Create(CultureInfo.InvariantCulture, $"/{MaxDecisions} decisions") : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Strategy}: {Iterations} iterations, {DistinctSchedules} distinct schedules{exhausted}, up to {MaxThreads} threads/{MaxSteps} steps{decisions}, {Elapsed.TotalSeconds:0.0} s{note}");
    }
}
