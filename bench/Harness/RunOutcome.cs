using BenchmarkDotNet.Reports;

namespace SharedTask.Benchmarks.Harness;

/// <summary>The process exit code of a run: non-zero when any benchmark failed to build, validate or run.</summary>
internal static class RunOutcome
{
    /// <summary>
    /// BenchmarkDotNet reports a failed benchmark in its summary but does not always exit non-zero: look for every
    /// kind of failure and say what failed.
    /// </summary>
    internal static int ExitCode(IReadOnlyCollection<Summary> summaries)
    {
        List<string> failures = [];
        int benchmarks = 0;
        int passed = 0;
        foreach (Summary summary in summaries)
        {
            if (summary.HasCriticalValidationErrors)
            {
                failures.Add($"{summary.Title}: validation failed: " +
                    string.Join("; ", summary.ValidationErrors.Where(error => error.IsCritical).Select(error => error.Message)));
            }

            foreach (BenchmarkReport report in summary.Reports)
            {
                benchmarks++;
                if (!report.Success || report.ExecuteResults.Count == 0 || report.ExecuteResults.Any(result => !result.IsSuccess))
                {
                    failures.Add($"{report.BenchmarkCase.DisplayInfo}: did not run to completion.");
                }
                else
                {
                    passed++;
                }
            }

            int missing = summary.BenchmarksCases.Length - summary.Reports.Length;
            if (missing > 0)
            {
                failures.Add($"{summary.Title}: {missing} benchmark(s) produced no report.");
            }
        }

        if (benchmarks == 0)
        {
            failures.Add("No benchmark ran: the filter matched nothing or the assembly has no benchmarks.");
        }

        foreach (string failure in failures)
        {
            Console.Error.WriteLine($"BENCHMARK FAILURE: {failure}");
        }

        Console.WriteLine($"{passed} passed, {failures.Count} failed");
        return failures.Count == 0 ? 0 : 1;
    }
}
