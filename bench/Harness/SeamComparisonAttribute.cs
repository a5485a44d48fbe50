using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace SharedTask.Benchmarks.Harness;

/// <summary>
/// Runs a suite twice: against the library as it ships (scheduling seam compiled in, switched off) and against a
/// build with the seam compiled out (<c>-p:SharedTaskNoSeam=true</c>), to show that the seam costs nothing.
/// </summary>
/// <remarks>
/// The seamless build uses its own build configuration as well as the MSBuild switch: it then compiles into
/// bin/ReleaseNoSeam and obj/ReleaseNoSeam of every project, and never overwrites the Release build that other work
/// in the same checkout (the concurrency tests, which need the seam) is using. Both jobs build out of process, so
/// the dry run (in process) skips the seamless one.
/// </remarks>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class SeamComparisonAttribute : Attribute, IConfigSource
{
    /// <summary>The build configuration of the job that compiles the seam out.</summary>
    internal const string NoSeamBuildConfiguration = "ReleaseNoSeam";

    public SeamComparisonAttribute()
    {
        Job measured = Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5);
        Config = ManualConfig.CreateEmpty()
            .AddJob(measured.WithId("SeamIn"))
            .AddJob(measured
                .WithCustomBuildConfiguration(NoSeamBuildConfiguration)
                .WithArguments([new MsBuildArgument("/p:SharedTaskNoSeam=true")])
                .WithId("SeamOut"));
    }

    public IConfig Config { get; }
}
