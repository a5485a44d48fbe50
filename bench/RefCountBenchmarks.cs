using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SharedTask.Benchmarks.Harness;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 4, suite 5: the price of counting references. <see cref="PromisePtr{T}"/> Copy+Dispose (one reference taken
/// and released on a live frame) against the floor, a raw <see cref="Interlocked.Increment(ref int)"/> and
/// <see cref="Interlocked.Decrement(ref int)"/> pair on a shared field; on one thread, and on two threads hammering
/// the same frame (the same field). Task-based peers have no counted reference to compare: sharing a Task copies a
/// pointer and leaves the rest to the garbage collector. Runs with the scheduling seam compiled in and out.
/// </summary>
/// <remarks>
/// Times are per Copy+Dispose (per increment+decrement pair). With two threads, the time is the wall-clock time of
/// the invocation divided by the pairs both threads did together.
/// </remarks>
[SeamComparison]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class RefCountBenchmarks
{
    private const string OneThread = "1 thread";
    private const string TwoThreads = "2 threads, one frame";
    private const int PairsPerThread = 4096;
    // Long enough (milliseconds per invocation) that the scheduler gives the two threads two cores, not one in turn.
    private const int PairsPerThreadContended = 1 << 20;

    private readonly Counter _counter = new();
    private SimpleTaskCompletionSource<int> _source;
    private PromisePtr<int> _pointer;
    private PartnerThread? _partner;
    private Action? _copyDisposeContended;
    private Action? _interlockedContended;

    [GlobalSetup]
    public void Setup()
    {
        SeamComparisonAttribute.VerifyBuild();

        // A live frame that nobody completes during the run: the counts go up and down on a pending operation.
        _source = new SimpleTaskCompletionSource<int>();
        _pointer = _source.Task.ToPromisePtr();
        _partner = new PartnerThread();
        _copyDisposeContended = () => CopyDispose(PairsPerThreadContended);
        _interlockedContended = () => IncrementDecrement(PairsPerThreadContended);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_partner is { } partner)
        {
            Console.WriteLine($"// Two-thread rounds: both threads worked at once for {partner.Overlap:P0} of the wall-clock time.");
            partner.Dispose();
        }

        _source.SetResult(0);
        _pointer.Dispose();
        _source.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerThread, Description = "Interlocked pair")]
    [BenchmarkCategory(OneThread)]
    public void InterlockedOneThread() => IncrementDecrement(PairsPerThread);

    [Benchmark(OperationsPerInvoke = PairsPerThread, Description = "PromisePtr Copy+Dispose")]
    [BenchmarkCategory(OneThread)]
    public void PromisePtrOneThread() => CopyDispose(PairsPerThread);

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * PairsPerThreadContended, Description = "Interlocked pair")]
    [BenchmarkCategory(TwoThreads)]
    public void InterlockedTwoThreads() => _partner!.RunTogether(_interlockedContended!);

    [Benchmark(OperationsPerInvoke = 2 * PairsPerThreadContended, Description = "PromisePtr Copy+Dispose")]
    [BenchmarkCategory(TwoThreads)]
    public void PromisePtrTwoThreads() => _partner!.RunTogether(_copyDisposeContended!);

    private void CopyDispose(int pairs)
    {
        for (int i = 0; i < pairs; i++)
        {
            PromisePtr<int> copy = _pointer.Copy();
            copy.Dispose();
        }
    }

    private void IncrementDecrement(int pairs)
    {
        for (int i = 0; i < pairs; i++)
        {
            Interlocked.Increment(ref _counter.Count);
            Interlocked.Decrement(ref _counter.Count);
        }
    }

    /// <summary>The floor's count, on the heap like a frame's state word.</summary>
    private sealed class Counter
    {
        internal int Count;
    }
}
