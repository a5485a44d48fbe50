using System.Globalization;
using System.Text;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// What exploring one scenario did under one engine: each strategy's run, and the first failure if there was one.
/// </summary>
/// <param name="scenario">The scenario's name.</param>
/// <param name="engine">What the summary line starts with to tell the engines apart ("" for the home engine).</param>
internal class ExplorationReport<TFailure>(string scenario, string engine)
    where TFailure : class, IExplorationFailure
{
    internal string Scenario { get; } = scenario;

    internal List<StrategyRun> Runs { get; } = [];

    internal TFailure? Failure { get; set; }

    /// <summary>Iterations over the whole portfolio up to and including the failing one.</summary>
    internal int TotalIterations => Runs.Sum(r => r.Iterations);

    internal bool TimeLimitReached { get; set; }

    internal TimeSpan Elapsed { get; set; }

    /// <summary>One line for summaries: the scenario, its iterations, and pass or the failing iteration.</summary>
    internal string SummaryLine
    {
        get
        {
            string outcome = Failure is null ? "passed" : $"FAILED at iteration {TotalIterations} ({Failure.Strategy})";
            string limit = TimeLimitReached ? ", time limit reached" : "";
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{engine}{Scenario}: {outcome}, {TotalIterations} iterations, {Runs.Sum(r => r.DistinctSchedules)} distinct schedules, {Elapsed.TotalSeconds:0.0} s{limit}");
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(SummaryLine);
        foreach (StrategyRun run in Runs)
        {
            text.Append("  ").AppendLine(run.ToString());
        }

        if (Failure is not null)
        {
            text.AppendLine(Failure.ToString());
        }

        return text.ToString();
    }
}
