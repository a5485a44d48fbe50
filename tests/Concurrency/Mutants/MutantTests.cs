using System.Globalization;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Mutants;

/// <summary>
/// The scenarios' teeth on the library's own code: each patch in this folder breaks one thing the design depends on,
/// and some scenario must fail against the mutated library within the normal budget. Prints the scenario that caught
/// it and the iterations it took.
/// </summary>
public sealed class MutantTests(MutantWorkspace workspace, ITestOutputHelper output) : IClassFixture<MutantWorkspace>
{
    public static TheoryData<string> Patches => new(
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Mutants"), "*.patch").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(Patches))]
    public void Mutant_is_caught_by_some_scenario(string mutant)
    {
        MutantOutcome outcome = workspace.Run(Path.Combine(workspace.PatchFolder, mutant + ".patch"));

        string summary = outcome.Killed
            ? string.Create(CultureInfo.InvariantCulture,
                $"mutant {mutant}: caught; {outcome.FirstFailure![CommandLine.FirstFailurePrefix.Length..]} (build {outcome.BuildTime.TotalSeconds:0.0} s, explore {outcome.ExploreTime.TotalSeconds:0.0} s)")
            : $"mutant {mutant}: NOT caught";
        output.WriteLine(summary);
        output.WriteLine(outcome.Output);
        ProgressLog.Write(summary.Split('\n')[0]);
        Assert.True(outcome.Killed, $"mutant '{mutant}' survived every scenario (exit code {outcome.ExitCode}):\n{outcome.Output}");
    }
}
