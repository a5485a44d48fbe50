using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using SharedTask.Scheduling;

namespace SharedTask.Benchmarks.Harness;

/// <summary>
/// Runs a suite twice: against the library as it ships (scheduling seam compiled in, switched off: job SeamIn) and
/// against a build with the seam compiled out by <c>-p:SharedTaskNoSeam=true</c> (job SeamOut), to show that the
/// seam costs nothing. A suite using this calls <see cref="VerifyBuild"/> in its setup.
/// </summary>
/// <remarks>
/// Both jobs build out of process (BenchmarkDotNet builds each job's copy of the library in its own folder, so the
/// switch never touches the Release build that other work in the checkout uses); the dry run, in process, skips
/// SeamOut.
/// </remarks>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class SeamComparisonAttribute : Attribute, IConfigSource
{
    /// <summary>The id of the job that compiles the seam out.</summary>
    internal const string SeamOutJobId = "SeamOut";

    /// <summary>The switch that measures the shipped build only (no SeamOut job): for in-process and alternated runs.</summary>
    internal const string SeamInOnlyFlag = "--seam-in-only";

    /// <summary>Tells the benchmark process which build its job asked for, so that it can check it got it.</summary>
    private const string ExpectedBuildVariable = "SHAREDTASK_BENCH_SEAM";

    public SeamComparisonAttribute()
    {
        Job measured = Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10);
        Config = ManualConfig.CreateEmpty()
            .AddJob(measured.WithEnvironmentVariable(ExpectedBuildVariable, "in").WithId("SeamIn"))
            .AddJob(measured
                .WithArguments([new MsBuildArgument("/p:SharedTaskNoSeam=true")])
                .WithEnvironmentVariable(ExpectedBuildVariable, "out")
                .WithId(SeamOutJobId))
            .HideColumns("EnvironmentVariables");
    }

    public IConfig Config { get; }

    /// <summary>Keeps the benchmarks of the shipped build (drops the SeamOut job, which must build out of process).</summary>
    internal static SimpleFilter ShippedBuildOnly { get; } = new(static benchmark => benchmark.Job.Id != SeamOutJobId);

    /// <summary>
    /// Fails the benchmark if the library in this process is not the build its job asked for: a comparison of two
    /// identical builds would report "no difference" for the wrong reason.
    /// </summary>
    /// <exception cref="InvalidOperationException">The seam is compiled in where it should be out, or the reverse.</exception>
    internal static void VerifyBuild()
    {
        // The one thing SharedTaskNoSeam changes in the compiled library: the seam's switch is read in a static
        // initializer, which the seamless build does not have.
        bool seamCompiledIn = typeof(SchedulingSeam).TypeInitializer is not null;
        string? expected = Environment.GetEnvironmentVariable(ExpectedBuildVariable);
        if ((expected == "out" && seamCompiledIn) || (expected == "in" && !seamCompiledIn))
        {
            throw new InvalidOperationException(
                $"This job expects the scheduling seam compiled {expected}, but the SharedTask build in this process has it " +
                $"compiled {(seamCompiledIn ? "in" : "out")}: the seam comparison would compare the wrong builds.");
        }

        Console.WriteLine($"// SharedTask scheduling seam: compiled {(seamCompiledIn ? "in" : "out")}");
    }
}
