using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Harness;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 4, suite 3: one producer (an async method suspended on a <see cref="ManualAwaitable"/>) and
/// <see cref="Consumers"/> consumer async methods awaiting it; the driver completes the producer and waits for every
/// consumer. SimpleTask consumers each get their own handle from <c>Share()</c>; Task consumers await the one Task;
/// ValueTask producers must not be awaited twice, so they are turned into a Task once with <c>AsTask()</c> and the
/// consumers await that.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, id: "Short")]
public class FanOutBenchmarks
{
    private const int MaxConsumers = 64;

    private readonly ManualAwaitable _signal = ManualAwaitable.Suspending();

    // The consumers of the invocation in progress, kept in preallocated arrays so the driver allocates nothing.
    private readonly Task<int>[] _tasks = new Task<int>[MaxConsumers];
    private readonly ValueTask<int>[] _valueTasks = new ValueTask<int>[MaxConsumers];
    private readonly SimpleTask<int>[] _simpleTasks = new SimpleTask<int>[MaxConsumers];

    [Params(1, 4, 16, 64)]
    public int Consumers { get; set; }

    [Benchmark(Baseline = true, Description = "Task<T>")]
    public int WithTask()
    {
        Task<int> producer = TaskProduce(_signal);
        for (int i = 0; i < Consumers; i++)
        {
            _tasks[i] = TaskConsume(producer);
        }

        _signal.Complete(1);
        int sum = 0;
        for (int i = 0; i < Consumers; i++)
        {
            sum += CompletedResult.Of(_tasks[i]);
        }

        return sum;
    }

    [Benchmark(Description = "ValueTask<T>")]
    [SuppressMessage("Reliability", "CA2012", Justification = "Each stored ValueTask is read exactly once, by the driver.")]
    public int WithValueTask()
    {
        Task<int> producer = ValueTaskProduce(_signal).AsTask();
        for (int i = 0; i < Consumers; i++)
        {
            _valueTasks[i] = ValueTaskConsume(producer);
        }

        _signal.Complete(1);
        return SumOfValueTasks();
    }

    [Benchmark(Description = "pooled ValueTask<T>")]
    [SuppressMessage("Reliability", "CA2012", Justification = "Each stored ValueTask is read exactly once, by the driver.")]
    public int WithPooledValueTask()
    {
        Task<int> producer = PooledValueTaskProduce(_signal).AsTask();
        for (int i = 0; i < Consumers; i++)
        {
            _valueTasks[i] = PooledValueTaskConsume(producer);
        }

        _signal.Complete(1);
        return SumOfValueTasks();
    }

    [Benchmark(Description = "SimpleTask<T>")]
    public int WithSimpleTask()
    {
        SimpleTask<int> producer = SimpleTaskProduce(_signal);

        // Every consumer but the last gets a new reference; the last takes over the driver's own.
        for (int i = 0; i < Consumers - 1; i++)
        {
            _simpleTasks[i] = SimpleTaskConsume(producer.Share());
        }

        _simpleTasks[Consumers - 1] = SimpleTaskConsume(producer);

        _signal.Complete(1);
        int sum = 0;
        for (int i = 0; i < Consumers; i++)
        {
            sum += CompletedResult.Of(_simpleTasks[i]);
        }

        return sum;
    }

    private int SumOfValueTasks()
    {
        int sum = 0;
        for (int i = 0; i < Consumers; i++)
        {
            sum += CompletedResult.Of(_valueTasks[i]);
        }

        return sum;
    }

    private static async Task<int> TaskProduce(ManualAwaitable signal) => await signal;

    private static async Task<int> TaskConsume(Task<int> producer) => await producer + 1;

    private static async ValueTask<int> ValueTaskProduce(ManualAwaitable signal) => await signal;

    private static async ValueTask<int> ValueTaskConsume(Task<int> producer) => await producer + 1;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PooledValueTaskProduce(ManualAwaitable signal) => await signal;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PooledValueTaskConsume(Task<int> producer) => await producer + 1;

    private static async SimpleTask<int> SimpleTaskProduce(ManualAwaitable signal) => await signal;

    private static async SimpleTask<int> SimpleTaskConsume(SimpleTask<int> producer) => await producer + 1;
}
