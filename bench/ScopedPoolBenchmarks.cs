using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Harness;
using SharedTask.Benchmarks.Shapes;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 10: what scoped frame pools cost. The SuspendResume work of SimpleTask (two async levels, one suspension each)
/// in a process that never opened a scope (the baseline: the rent path reads one static flag), in a process that opened
/// and closed one before measuring (every rent then reads the scope's AsyncLocal and finds none), and inside a scope
/// (every frame rented from and returned to a <see cref="SimpleTaskFramePool"/>). BenchmarkDotNet runs each case in a
/// process of its own, so the baseline's process has never seen a scope.
/// </summary>
[Config(typeof(ScopedPoolConfig))]
public class ScopedPoolBenchmarks
{
    private readonly ManualAwaitable _signal = ManualAwaitable.Suspending();
    private SimpleTaskFramePool? _pool;
    private SimpleTaskPoolScope _scope;

    [GlobalSetup(Target = nameof(AfterAScopeClosed))]
    public void OpenAndCloseAScope()
    {
        using (SimpleTaskPool.UseScope(new SimpleTaskFramePool("bench-closed")))
        {
        }
    }

    [GlobalSetup(Target = nameof(InsideAScope))]
    public void EnterAScope()
    {
        _pool = new SimpleTaskFramePool("bench");
        _scope = SimpleTaskPool.UseScope(_pool);
    }

    [GlobalCleanup(Target = nameof(InsideAScope))]
    public void LeaveTheScope()
    {
        _scope.Dispose();
        if (_pool!.FramesOutstanding != 0)
        {
            throw new InvalidOperationException($"{_pool.FramesOutstanding} frames of the scope's pool never came back.");
        }
    }

    [Benchmark(Baseline = true, Description = "no scope ever")]
    public int NeverAScope() => Run();

    [Benchmark(Description = "after a scope closed")]
    public int AfterAScopeClosed() => Run();

    [Benchmark(Description = "inside a scope")]
    public int InsideAScope() => Run();

    private int Run()
    {
        SimpleTask<int> outer = TwoLevelMethods.SimpleTaskOuter(_signal);
        _signal.Complete(40);
        return CompletedResult.Of(outer);
    }

    private sealed class ScopedPoolConfig : ManualConfig
    {
        public ScopedPoolConfig() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
    }
}
