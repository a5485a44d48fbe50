using SharedTask.Tests.Concurrency.Engine;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Explores every library scenario with the default portfolio and fails with the full report (strategy, seed, schedule
/// string, trace) if any iteration breaks an invariant. With SHAREDTASK_CONCURRENCY_REPLAY='Scenario@schedule' set,
/// the named scenario replays that schedule instead.
/// </summary>
public sealed class ScenarioTests(ITestOutputHelper output)
{
    internal const string ReplayVariable = "SHAREDTASK_CONCURRENCY_REPLAY";

    public static TheoryData<string> Names => new(ScenarioCatalog.All.Select(create => create().Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_holds_every_invariant_under_explored_schedules(string scenario)
    {
        var explorer = new Explorer(ExplorationBudget.FromEnvironment());
        Func<Scenario> create = ScenarioCatalog.Named(scenario);

        string? replay = Environment.GetEnvironmentVariable(ReplayVariable);
        if (!string.IsNullOrEmpty(replay) && replay.StartsWith(scenario + "@", StringComparison.Ordinal))
        {
            IterationResult result = explorer.Replay(create, replay[(scenario.Length + 1)..]);
            output.WriteLine($"replayed {replay}: {(result.Failure is null ? "passed" : result.Failure.ToString())}");
            Assert.True(result.Failure is null, result.Failure?.ToString());
            return;
        }

        ExplorationReport report = explorer.Explore(create);
        output.WriteLine(report.ToString());
        ProgressLog.Write(report.SummaryLine);
        Assert.True(report.Failure is null, report.Failure?.ToString());
    }
}
