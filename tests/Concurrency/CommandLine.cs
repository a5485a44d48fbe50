using System.Globalization;
using SharedTask.Tests.Concurrency.Engine;
using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency;

/// <summary>
/// The commands of <see cref="Program"/>:
/// <c>replay 'Scenario@1:schedule'</c> runs one recorded interleaving and prints its outcome;
/// <c>explore</c> explores every scenario of the catalog in order with the environment's budget and stops at the first
/// failure (what the mutant tests run against a mutated SharedTask.dll).
/// </summary>
internal static class CommandLine
{
    /// <summary>The last line of a failed <c>explore</c>; the mutant tests parse it.</summary>
    internal const string FirstFailurePrefix = "first failure: ";

    internal static int Run(string[] args, TextWriter output)
    {
        switch (args)
        {
            case ["replay", string replay]:
                return Replay(replay, output);
            case ["explore"]:
                return Explore(output);
            default:
                output.WriteLine("usage: replay 'Scenario@1:schedule' | explore");
                output.WriteLine($"  {ExplorationBudget.MultiplierVariable}=N multiplies the budget; {ExplorationBudget.SeedVariable}=N changes the seed.");
                return 2;
        }
    }

    private static int Replay(string replay, TextWriter output)
    {
        int at = replay.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            output.WriteLine($"'{replay}' is not 'Scenario@schedule'.");
            return 2;
        }

        Func<Scenario> create = ScenarioCatalog.Named(replay[..at]);
        IterationResult result = new Explorer(ExplorationBudget.FromEnvironment()).Replay(create, replay[(at + 1)..]);
        output.WriteLine(result.Failure is null
            ? string.Create(CultureInfo.InvariantCulture, $"{replay[..at]}: the schedule ran to the end and every invariant held ({result.Steps} steps).")
            : result.Failure.ToString());
        return result.Failure is null ? 0 : 1;
    }

    private static int Explore(TextWriter output)
    {
        var explorer = new Explorer(ExplorationBudget.FromEnvironment());
        int iterations = 0;
        foreach (Func<Scenario> create in ScenarioCatalog.All)
        {
            ExplorationReport report = explorer.Explore(create);
            iterations += report.TotalIterations;
            output.WriteLine(report.SummaryLine);
            if (report.Failure is { } failure)
            {
                output.WriteLine(failure.ToString());
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{FirstFailurePrefix}{report.Scenario} at iteration {report.TotalIterations} of the scenario ({iterations} in all); {failure.Kind}: {failure.Message}"));
                return 1;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all {ScenarioCatalog.All.Count} scenarios passed ({iterations} iterations)"));
        return 0;
    }
}
