using System.Globalization;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Mutants;

/// <summary>
/// The scenarios' teeth on the library's own code: each patch in this folder breaks one thing the design depends on,
/// and some scenario must fail against the mutated library within the normal budget, under the home engine and under
/// Coyote (one build, one child process exploring with both), and Coyote's saved trace must replay to the same failure.
/// Prints, per engine, the scenario that caught it and the iterations it took.
/// </summary>
public sealed class MutantTests(MutantWorkspace workspace, ITestOutputHelper output) : IClassFixture<MutantWorkspace>
{
    public static TheoryData<string> Patches => new(
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Mutants"), "*.patch").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(Patches))]
    public void Mutant_is_caught_by_both_engines(string mutant)
    {
        MutantOutcome outcome = workspace.Outcome(mutant);

        string summary = string.Create(CultureInfo.InvariantCulture,
            $"mutant {mutant} (build {outcome.BuildTime.TotalSeconds:0.0} s, explore {outcome.ExploreTime.TotalSeconds:0.0} s)\n" +
            $"  home engine: {outcome.HomeCatch ?? "NOT caught"}\n" +
            $"  coyote:      {outcome.CoyoteCatch ?? "NOT caught"}; replay: {outcome.CoyoteReplay ?? "none"}");
        output.WriteLine(summary);
        output.WriteLine(outcome.Output);
        foreach (string line in summary.Split('\n'))
        {
            ProgressLog.Write(line);
        }

        Assert.True(outcome.ExitCode is 0 or 1, $"mutant '{mutant}' did not run (exit code {outcome.ExitCode}):\n{outcome.Output}");
        Assert.True(outcome.CoyoteCatch is not null, $"mutant '{mutant}' survived every scenario under Coyote:\n{outcome.Output}");
        Assert.True(outcome.HomeCatch is not null, $"mutant '{mutant}' survived every scenario under the home engine:\n{outcome.Output}");
        Assert.Equal("reproduced the same failure", outcome.CoyoteReplay);
    }
}
