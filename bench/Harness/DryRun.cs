using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

namespace SharedTask.Benchmarks.Harness;

/// <summary>
/// The CI mode (<c>--ci</c>): every benchmark runs once (<see cref="Job.Dry"/>), in this process, so a benchmark that
/// throws, hangs or no longer builds fails CI within minutes instead of being found at the next measurement.
/// </summary>
internal static class DryRun
{
    internal const string Flag = "--ci";

    /// <summary>How long one benchmark may run before it counts as hung (the slowest takes about a second).</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>Turns every suite's jobs into one dry, in-process run, and drops jobs that must build separately.</summary>
    internal static IConfig Apply(IConfig config) =>
        config
            // A mutator job overrides the run characteristics of every job a suite declares, whatever they are.
            .AddJob(Job.Dry.WithToolchain(new InProcessNoEmitToolchain(Timeout, logOutput: true)).AsMutator())
            .AddFilter(SeamComparisonAttribute.ShippedBuildOnly);
}
