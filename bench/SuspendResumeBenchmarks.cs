using BenchmarkDotNet.Attributes;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Harness;
using SharedTask.Benchmarks.Shapes;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 4, suite 1: an outer async method awaits an inner one that suspends once on a <see cref="ManualAwaitable"/>;
/// the driver completes it on the same thread, which resumes the inner method and then the outer one, and reads the
/// outer result. Runs with the scheduling seam compiled in and compiled out (issue 3).
/// </summary>
[SeamComparison]
public class SuspendResumeBenchmarks
{
    private readonly ManualAwaitable _signal = ManualAwaitable.Suspending();

    [GlobalSetup]
    public void Setup() => SeamComparisonAttribute.VerifyBuild();

    [Benchmark(Baseline = true, Description = "Task<T>")]
    public int WithTask()
    {
        Task<int> outer = TwoLevelMethods.TaskOuter(_signal);
        _signal.Complete(40);
        return CompletedResult.Of(outer);
    }

    [Benchmark(Description = "ValueTask<T>")]
    public int WithValueTask()
    {
        ValueTask<int> outer = TwoLevelMethods.ValueTaskOuter(_signal);
        _signal.Complete(40);
        return CompletedResult.Of(outer);
    }

    [Benchmark(Description = "pooled ValueTask<T>")]
    public int WithPooledValueTask()
    {
        ValueTask<int> outer = TwoLevelMethods.PooledValueTaskOuter(_signal);
        _signal.Complete(40);
        return CompletedResult.Of(outer);
    }

    [Benchmark(Description = "SimpleTask<T>")]
    public int WithSimpleTask()
    {
        SimpleTask<int> outer = TwoLevelMethods.SimpleTaskOuter(_signal);
        _signal.Complete(40);
        return CompletedResult.Of(outer);
    }
}
