using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Harness;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issue 5: request coalescing. <see cref="Callers"/> async callers ask for one key while its load is in flight (the
/// load awaits a <see cref="ManualAwaitable"/>); the driver completes the load and reads every caller's result. The
/// baseline is the idiom SingleFlight replaces, a <c>ConcurrentDictionary&lt;TKey, Lazy&lt;Task&lt;TValue&gt;&gt;&gt;</c>
/// in its cheapest form (removal once per load, in the load wrapper, not in every caller).
/// </summary>
/// <remarks>
/// <para>Every caller is an async method in its side's natural type (<c>async Task&lt;int&gt;</c> against the idiom,
/// <c>async SimpleTask&lt;int&gt;</c> against SingleFlight) that awaits the coalescer and adds one. One operation is one
/// load and all its callers, so the bytes a caller costs are the slope of Allocated over <see cref="Callers"/>:
/// (Allocated at 128 − Allocated at 1) / 127. SingleFlight's Allocated stays flat: 0 B per coalesced caller, with or
/// without a caller token; what it allocates per load is the dictionary node.</para>
/// <para>Per-caller cancellation: SingleFlight's callers with a token are compared with the idiom's way of giving one
/// caller a cancelable wait, <see cref="Task{TResult}.WaitAsync(CancellationToken)"/> on the shared task.</para>
/// <para>128 callers is the most the default pools hold without constructing frames: <see cref="Callers"/> suspended
/// callers need that many frames of one type at once, and <see cref="SimpleTaskPoolProvider"/> keeps 128 per thread
/// plus 32 per processor shared. Past that capacity every operation constructs the extra frames afresh (measured at
/// 256 callers: about 9.8 KB per operation, one frame of about 150 B per caller beyond what the pool holds), unless the
/// pool is sized for the concurrency (<see cref="SimpleTaskPoolProvider.MaximumRetainedPerThread"/>).</para>
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5, id: "Short")]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class SingleFlightBenchmarks
{
    private const int MaxCallers = 128;
    private const int Key = 42;

    private readonly ManualAwaitable _signal = ManualAwaitable.Suspending();
    private readonly SingleFlight<int, int> _singleFlight = new();
    private readonly LazyTaskIdiom _idiom;
    private readonly CancellationTokenSource _callerCancellation = new();

    // The callers of the invocation in progress, in preallocated arrays so the driver allocates nothing.
    private readonly Task<int>[] _taskCallers = new Task<int>[MaxCallers];
    private readonly SimpleTask<int>[] _simpleTaskCallers = new SimpleTask<int>[MaxCallers];

    public SingleFlightBenchmarks() => _idiom = new LazyTaskIdiom(_signal);

    [Params(1, 16, 128)]
    public int Callers { get; set; }

    [GlobalCleanup]
    public void Cleanup() => _callerCancellation.Dispose();

    [Benchmark(Baseline = true, Description = "ConcurrentDictionary<K, Lazy<Task<V>>>")]
    public int Idiom()
    {
        for (int i = 0; i < Callers; i++)
        {
            _taskCallers[i] = IdiomCaller(_idiom);
        }

        _signal.Complete(1);
        int sum = 0;
        for (int i = 0; i < Callers; i++)
        {
            sum += CompletedResult.Of(_taskCallers[i]);
        }

        return sum;
    }

    [Benchmark(Description = "idiom, callers with a token (WaitAsync)")]
    public int IdiomWithCallerTokens()
    {
        CancellationToken token = _callerCancellation.Token;
        for (int i = 0; i < Callers; i++)
        {
            _taskCallers[i] = IdiomCallerWithToken(_idiom, token);
        }

        _signal.Complete(1);
        int sum = 0;
        for (int i = 0; i < Callers; i++)
        {
            sum += CompletedResult.Of(_taskCallers[i]);
        }

        return sum;
    }

    [Benchmark(Description = "SingleFlight")]
    public int SingleFlight() => RunSingleFlight(CancellationToken.None);

    [Benchmark(Description = "SingleFlight, callers with a token")]
    public int SingleFlightWithCallerTokens() => RunSingleFlight(_callerCancellation.Token);

    private int RunSingleFlight(CancellationToken callerToken)
    {
        for (int i = 0; i < Callers; i++)
        {
            _simpleTaskCallers[i] = SingleFlightCaller(_singleFlight, _signal, callerToken);
        }

        _signal.Complete(1);
        int sum = 0;
        for (int i = 0; i < Callers; i++)
        {
            sum += CompletedResult.Of(_simpleTaskCallers[i]);
        }

        return sum;
    }

    private static async Task<int> IdiomCaller(LazyTaskIdiom idiom) => await idiom.GetAsync(Key) + 1;

    private static async Task<int> IdiomCallerWithToken(LazyTaskIdiom idiom, CancellationToken cancellationToken) =>
        await idiom.GetAsync(Key).WaitAsync(cancellationToken) + 1;

    private static async SimpleTask<int> SingleFlightCaller(
        SingleFlight<int, int> flight, ManualAwaitable signal, CancellationToken cancellationToken) =>
        await flight.RunAsync(Key, signal, static (_, signal, _) => Load(signal), cancellationToken) + 1;

    private static async SimpleTask<int> Load(ManualAwaitable signal) => await signal;

    /// <summary>The idiom: one Lazy&lt;Task&gt; per key in flight, removed by the load wrapper when the load completes.</summary>
    private sealed class LazyTaskIdiom
    {
        private readonly ConcurrentDictionary<int, Lazy<Task<int>>> _inFlight = new();
        private readonly ManualAwaitable _signal;
        private readonly Func<int, Lazy<Task<int>>> _createEntry;

        internal LazyTaskIdiom(ManualAwaitable signal)
        {
            _signal = signal;
            _createEntry = CreateEntry;
        }

        internal Task<int> GetAsync(int key) => _inFlight.GetOrAdd(key, _createEntry).Value;

        private Lazy<Task<int>> CreateEntry(int key)
        {
            Lazy<Task<int>>? entry = null;
            entry = new Lazy<Task<int>>(() => LoadThenRemoveAsync(key, entry!));
            return entry;
        }

        private async Task<int> LoadThenRemoveAsync(int key, Lazy<Task<int>> entry)
        {
            try
            {
                return await _signal;
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<int, Lazy<Task<int>>>(key, entry));
            }
        }
    }
}
