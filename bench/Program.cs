using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SharedTask.Benchmarks.Harness;

namespace SharedTask.Benchmarks;

/// <summary>
/// Runs the suites: <c>dotnet run -c Release --project bench -- --filter '*'</c> measures everything (see RESULTS.md);
/// <c>-- --ci</c> runs every benchmark once, in process, and exits non-zero if any failed; <c>-- --alternate A B</c>
/// confirms a ratio across separate processes (<see cref="Alternation"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains(Alternation.Flag))
        {
            return Alternation.Run(args);
        }

        bool dryRun = args.Contains(DryRun.Flag);
        bool seamInOnly = args.Contains(SeamComparisonAttribute.SeamInOnlyFlag);
        List<string> switcherArgs = [.. args.Where(arg => arg != DryRun.Flag && arg != SeamComparisonAttribute.SeamInOnlyFlag)];

        // Every suite reports allocations beside time: the point of SharedTask is both.
        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        if (seamInOnly)
        {
            config = config.AddFilter(SeamComparisonAttribute.ShippedBuildOnly);
        }

        if (dryRun)
        {
            config = DryRun.Apply(config);

            // Without a filter the switcher asks on standard input which suites to run; CI has none.
            if (!switcherArgs.Contains("--filter") && !switcherArgs.Contains("-f"))
            {
                switcherArgs.AddRange(["--filter", "*"]);
            }
        }

        // Classes are found by reflection, so a new suite file joins the run without being registered here.
        List<Summary> summaries;
        try
        {
            summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. switcherArgs], config)];
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // BenchmarkDotNet itself (0.14, still 0.15.8) fails (NullReferenceException in ExecuteResult.LogIssues) when a
            // benchmark throws in process; the benchmark's exception was printed above this one.
            Console.Error.WriteLine($"BENCHMARK FAILURE: the run stopped: {exception}");
            Console.WriteLine("0 passed, 1 failed");
            return 1;
        }

        // A listing or --help runs nothing and is not a failure; a dry run that ran nothing is.
        return dryRun || summaries.Count > 0 ? RunOutcome.ExitCode(summaries) : 0;
    }
}
