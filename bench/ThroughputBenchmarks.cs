using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Harness;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 4, suite 6: throughput under load. <see cref="Workers"/> async workers run at once on the thread pool; each
/// loops over async operations that really suspend (a <see cref="ThreadPoolHop"/>, resumed by whichever pool thread
/// takes it), until together they have done <see cref="Operations"/>. Frames and boxes are rented on one thread and
/// returned on another, so this shows how each peer's allocation or pooling behaves under contention, not only on
/// the single-thread fast path. Time and bytes are per operation; the Op/s column is the throughput.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, id: "Short")]
[Config(typeof(ThroughputConfig))]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class ThroughputBenchmarks
{
    /// <summary>Operations per invocation, all workers together.</summary>
    private const int Operations = 1 << 15;

    private readonly CountdownEvent _workersDone = new(1);
    private ThreadPoolHop[] _hops = [];
    private Task<int>[] _tasks = [];
    private ValueTask<int>[] _valueTasks = [];
    private SimpleTask<int>[] _simpleTasks = [];

    [Params(16, 256)]
    public int Workers { get; set; }

    private int OperationsPerWorker => Operations / Workers;

    [GlobalSetup]
    public void Setup()
    {
        _hops = new ThreadPoolHop[Workers];
        for (int i = 0; i < Workers; i++)
        {
            _hops[i] = new ThreadPoolHop();
        }

        _tasks = new Task<int>[Workers];
        _valueTasks = new ValueTask<int>[Workers];
        _simpleTasks = new SimpleTask<int>[Workers];
    }

    [GlobalCleanup]
    public void Cleanup() => _workersDone.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Task<T>")]
    public int WithTask()
    {
        _workersDone.Reset(Workers);
        for (int i = 0; i < Workers; i++)
        {
            _tasks[i] = TaskWorker(_hops[i], OperationsPerWorker, _workersDone);
        }

        _workersDone.Wait();
        int sum = 0;
        for (int i = 0; i < Workers; i++)
        {
            sum += CompletedResult.Of(_tasks[i]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "ValueTask<T>")]
    [SuppressMessage("Reliability", "CA2012", Justification = "Each stored ValueTask is read exactly once, by the driver.")]
    public int WithValueTask()
    {
        _workersDone.Reset(Workers);
        for (int i = 0; i < Workers; i++)
        {
            _valueTasks[i] = ValueTaskWorker(_hops[i], OperationsPerWorker, _workersDone);
        }

        return SumOfValueTasks();
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "pooled ValueTask<T>")]
    [SuppressMessage("Reliability", "CA2012", Justification = "Each stored ValueTask is read exactly once, by the driver.")]
    public int WithPooledValueTask()
    {
        _workersDone.Reset(Workers);
        for (int i = 0; i < Workers; i++)
        {
            _valueTasks[i] = PooledValueTaskWorker(_hops[i], OperationsPerWorker, _workersDone);
        }

        return SumOfValueTasks();
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "SimpleTask<T>")]
    public int WithSimpleTask()
    {
        _workersDone.Reset(Workers);
        for (int i = 0; i < Workers; i++)
        {
            _simpleTasks[i] = SimpleTaskWorker(_hops[i], OperationsPerWorker, _workersDone);
        }

        _workersDone.Wait();
        int sum = 0;
        for (int i = 0; i < Workers; i++)
        {
            sum += CompletedResult.Of(_simpleTasks[i]);
        }

        return sum;
    }

    private int SumOfValueTasks()
    {
        _workersDone.Wait();
        int sum = 0;
        for (int i = 0; i < Workers; i++)
        {
            sum += CompletedResult.Of(_valueTasks[i]);
        }

        return sum;
    }

    // A worker signals just before it returns; the driver, woken by the last signal, then spins at most for the few
    // instructions between the signal and the worker's completion.
    private static async Task<int> TaskWorker(ThreadPoolHop hop, int operations, CountdownEvent done)
    {
        int sum = 0;
        for (int i = 0; i < operations; i++)
        {
            sum += await TaskOperation(hop);
        }

        done.Signal();
        return sum;
    }

    private static async Task<int> TaskOperation(ThreadPoolHop hop)
    {
        await hop;
        return 1;
    }

    private static async ValueTask<int> ValueTaskWorker(ThreadPoolHop hop, int operations, CountdownEvent done)
    {
        int sum = 0;
        for (int i = 0; i < operations; i++)
        {
            sum += await ValueTaskOperation(hop);
        }

        done.Signal();
        return sum;
    }

    private static async ValueTask<int> ValueTaskOperation(ThreadPoolHop hop)
    {
        await hop;
        return 1;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PooledValueTaskWorker(ThreadPoolHop hop, int operations, CountdownEvent done)
    {
        int sum = 0;
        for (int i = 0; i < operations; i++)
        {
            sum += await PooledValueTaskOperation(hop);
        }

        done.Signal();
        return sum;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PooledValueTaskOperation(ThreadPoolHop hop)
    {
        await hop;
        return 1;
    }

    private static async SimpleTask<int> SimpleTaskWorker(ThreadPoolHop hop, int operations, CountdownEvent done)
    {
        int sum = 0;
        for (int i = 0; i < operations; i++)
        {
            sum += await SimpleTaskOperation(hop);
        }

        done.Signal();
        return sum;
    }

    private static async SimpleTask<int> SimpleTaskOperation(ThreadPoolHop hop)
    {
        await hop;
        return 1;
    }

    /// <summary>Adds the throughput column (operations per second, from the mean time per operation).</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
