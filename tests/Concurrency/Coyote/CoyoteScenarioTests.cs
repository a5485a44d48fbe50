using SharedTask.Tests.Concurrency.Scenarios;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// Explores every library scenario of <see cref="ScenarioCatalog.All"/> under Microsoft Coyote with the portfolio of
/// <see cref="CoyoteExplorer"/>, and fails with the full report (strategy, seed, seam trace, saved Coyote trace) if any
/// iteration breaks an invariant. With SHAREDTASK_COYOTE_REPLAY='Scenario@trace-file' set, the named scenario replays
/// that trace instead and fails if the failure reproduces.
/// </summary>
public sealed class CoyoteScenarioTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new(ScenarioCatalog.All.Select(create => create().Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_holds_every_invariant_under_Coyote(string scenario)
    {
        var explorer = new CoyoteExplorer(CoyoteBudget.FromEnvironment());
        Func<Scenario> create = ScenarioCatalog.Named(scenario);

        string? replay = Environment.GetEnvironmentVariable(CoyoteExplorer.ReplayVariable);
        if (!string.IsNullOrEmpty(replay) && replay.StartsWith(scenario + "@", StringComparison.Ordinal))
        {
            CoyoteFailure? reproduced = explorer.Replay(create, replay[(scenario.Length + 1)..]);
            output.WriteLine($"replayed {replay}: {(reproduced is null ? "Failed to reproduce: the iteration passed" : reproduced.ToString())}");
            Assert.True(reproduced is null, reproduced?.ToString());
            return;
        }

        CoyoteReport report = explorer.Explore(create);
        output.WriteLine(report.ToString());
        ProgressLog.Write(report.SummaryLine);
        Assert.True(report.Failure is null, report.Failure?.ToString());
    }
}
