using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Harness;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 4, suite 4: a chain of <see cref="Length"/> async methods, each awaiting the previous one, built in a loop on
/// top of a leaf suspended on a <see cref="ManualAwaitable"/>; the driver completes the leaf and waits for the last
/// link. Completing the leaf resumes the whole chain, one continuation inside the previous one's completion: this is
/// the test of how a library keeps its stack bounded.
/// </summary>
/// <remarks>
/// Task (and ValueTask, which is a Task here) moves the rest of the chain to the thread pool when the stack runs
/// low. The pooled ValueTask builder has no such guard: its chain overflows the stack somewhere between 10,000 and
/// 50,000 links and kills the process, so it is measured at 10,000 only (<see cref="ChainConfig"/>).
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, id: "Few")]
[Config(typeof(ChainConfig))]
public class DeepChainBenchmarks
{
    /// <summary>The longest pooled ValueTask chain that runs on a default-size stack with room to spare.</summary>
    internal const int PooledValueTaskMaxLength = 10_000;

    private readonly ManualAwaitable _signal = ManualAwaitable.Suspending();

    [Params(10_000, 1_000_000)]
    public int Length { get; set; }

    [Benchmark(Baseline = true, Description = "Task<T>")]
    public int WithTask()
    {
        Task<int> chain = TaskLeaf(_signal);
        for (int i = 0; i < Length; i++)
        {
            chain = TaskLink(chain);
        }

        _signal.Complete(0);
        return CompletedResult.Of(chain);
    }

    [Benchmark(Description = "ValueTask<T>")]
    public int WithValueTask()
    {
        ValueTask<int> chain = ValueTaskLeaf(_signal);
        for (int i = 0; i < Length; i++)
        {
            chain = ValueTaskLink(chain);
        }

        _signal.Complete(0);
        return CompletedResult.Of(chain);
    }

    [Benchmark(Description = "pooled ValueTask<T>")]
    public int WithPooledValueTask()
    {
        ValueTask<int> chain = PooledValueTaskLeaf(_signal);
        for (int i = 0; i < Length; i++)
        {
            chain = PooledValueTaskLink(chain);
        }

        _signal.Complete(0);
        return CompletedResult.Of(chain);
    }

    [Benchmark(Description = "SimpleTask<T>")]
    public int WithSimpleTask()
    {
        SimpleTask<int> chain = SimpleTaskLeaf(_signal);
        for (int i = 0; i < Length; i++)
        {
            chain = SimpleTaskLink(chain);
        }

        _signal.Complete(0);
        return CompletedResult.Of(chain);
    }

    private static async Task<int> TaskLeaf(ManualAwaitable signal) => await signal;

    private static async Task<int> TaskLink(Task<int> previous) => await previous + 1;

    private static async ValueTask<int> ValueTaskLeaf(ManualAwaitable signal) => await signal;

    private static async ValueTask<int> ValueTaskLink(ValueTask<int> previous) => await previous + 1;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PooledValueTaskLeaf(ManualAwaitable signal) => await signal;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PooledValueTaskLink(ValueTask<int> previous) => await previous + 1;

    private static async SimpleTask<int> SimpleTaskLeaf(ManualAwaitable signal) => await signal;

    private static async SimpleTask<int> SimpleTaskLink(SimpleTask<int> previous) => await previous + 1;

    /// <summary>Leaves out the pooled ValueTask chains that would overflow the stack (see the class remarks).</summary>
    private sealed class ChainConfig : ManualConfig
    {
        public ChainConfig() =>
            AddFilter(new SimpleFilter(benchmark =>
                benchmark.Descriptor.WorkloadMethod.Name != nameof(WithPooledValueTask)
                || (int)benchmark.Parameters[nameof(Length)] <= PooledValueTaskMaxLength));
    }
}
