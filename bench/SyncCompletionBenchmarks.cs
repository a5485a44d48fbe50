using BenchmarkDotNet.Attributes;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Harness;
using SharedTask.Benchmarks.Shapes;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 4, suite 2: the SuspendResume pair, run against an awaitable that is already complete, so neither method
/// suspends: the cost of calling an async method whose result is ready (a cache hit, a buffered read).
/// </summary>
/// <remarks>The results (41, 42) lie outside Task's small cache of completed Task&lt;int&gt;s, as most results do.</remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, id: "Short")]
public class SyncCompletionBenchmarks
{
    private readonly ManualAwaitable _ready = ManualAwaitable.Completed(40);

    [Benchmark(Baseline = true, Description = "Task<T>")]
    public int WithTask() => CompletedResult.Of(TwoLevelMethods.TaskOuter(_ready));

    [Benchmark(Description = "ValueTask<T>")]
    public int WithValueTask() => CompletedResult.Of(TwoLevelMethods.ValueTaskOuter(_ready));

    [Benchmark(Description = "pooled ValueTask<T>")]
    public int WithPooledValueTask() => CompletedResult.Of(TwoLevelMethods.PooledValueTaskOuter(_ready));

    [Benchmark(Description = "SimpleTask<T>")]
    public int WithSimpleTask() => CompletedResult.Of(TwoLevelMethods.SimpleTaskOuter(_ready));
}
