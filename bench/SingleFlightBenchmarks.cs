using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using SharedTask.Benchmarks.Awaitables;
using SharedTask.Benchmarks.Coalescing;
using SharedTask.Benchmarks.Harness;
using ZiggyCreatures.Caching.Fusion;

namespace SharedTask.Benchmarks;

/// <summary>
/// Issues 5 and 12: request coalescing. <see cref="Callers"/> async callers ask for one key while its load is in flight
/// (the load awaits a <see cref="LoadSignal"/>); the driver completes the load and reads every caller's result. The
/// baseline is the idiom SingleFlight replaces, a <c>ConcurrentDictionary&lt;TKey, Lazy&lt;Task&lt;TValue&gt;&gt;&gt;</c>
/// in its cheapest form (<see cref="LazyTaskIdiom"/>); beside it the stampede protection of HybridCache
/// (Microsoft.Extensions.Caching.Hybrid) and FusionCache.
/// </summary>
/// <remarks>
/// <para>Every caller is an async method in its side's natural type (<c>async SimpleTask&lt;int&gt;</c> against
/// SingleFlight, <c>async Task&lt;int&gt;</c> against the others) that awaits the coalescer and adds one. One operation
/// is one load and all its callers, so the bytes a caller costs are the slope of Allocated over <see cref="Callers"/>:
/// (Allocated at 128 − Allocated at 1) / 127.</para>
/// <para>Per-caller cancellation: callers "with a token" pass a cancelable token that is never canceled (an ASP.NET
/// request's <c>RequestAborted</c>). The idiom gives such a caller its own wait with
/// <see cref="Task{TResult}.WaitAsync(CancellationToken)"/>; SingleFlight attaches a pooled caller frame; HybridCache
/// gives every caller a cancelable wait and, because its first caller can cancel, runs the load on the thread pool with a
/// token canceled only when every caller has left.</para>
/// <para>Nothing cached: the idiom, SingleFlight, and HybridCache with its local and distributed caches disabled by
/// entry flags. Cached (the rows marked "entry removed after"): FusionCache can only coalesce through its cache (the
/// callers that waited for its per-key lock read the value the first caller stored), so it is measured with its cache,
/// beside HybridCache with its local cache and SingleFlight in front of the same MemoryCache. Each operation then ends by
/// removing the key's entry, so the next operation is again a stampede on a missing entry (what happens when an entry
/// expires under load); the removal is part of the measured time of those rows.</para>
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
    private const string KeyName = "product:42";

    private readonly LoadSignal _signal = new();
    private readonly SingleFlight<int, int> _singleFlight = new();
    private readonly LazyTaskIdiom _idiom;
    private readonly CancellationTokenSource _callerCancellation = new();
    private readonly MemoryCache _memoryCache = new(new MemoryCacheOptions());
    private readonly ServiceProvider _hybridServices;
    private readonly ServiceProvider _hybridNoCacheServices;
    private readonly HybridCache _hybridCache;
    private readonly HybridCache _hybridNoCache;
    private readonly FusionCache _fusionCache = new(new FusionCacheOptions());

    /// <summary>FusionCache has no state-passing overload: the factory is made once, the cheapest way to call it.</summary>
    private readonly Func<FusionCacheFactoryExecutionContext<int>, CancellationToken, Task<int>> _fusionFactory;

    // The callers of the invocation in progress, in preallocated arrays so the driver allocates nothing.
    private readonly Task<int>[] _taskCallers = new Task<int>[MaxCallers];
    private readonly SimpleTask<int>[] _simpleTaskCallers = new SimpleTask<int>[MaxCallers];

    public SingleFlightBenchmarks()
    {
        _idiom = new LazyTaskIdiom(_signal);
        _hybridServices = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        _hybridNoCacheServices = new ServiceCollection()
            .AddHybridCache(static options => options.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache,
            })
            .Services
            .BuildServiceProvider();
        _hybridCache = _hybridServices.GetRequiredService<HybridCache>();
        _hybridNoCache = _hybridNoCacheServices.GetRequiredService<HybridCache>();
        LoadSignal signal = _signal;
        _fusionFactory = (_, _) => LoadTask(signal);
    }

    [Params(1, 16, 128)]
    public int Callers { get; set; }

    [GlobalCleanup]
    public void Cleanup()
    {
        _callerCancellation.Dispose();
        _memoryCache.Dispose();
        _hybridServices.Dispose();
        _hybridNoCacheServices.Dispose();
        _fusionCache.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ConcurrentDictionary<K, Lazy<Task<V>>>")]
    public int Idiom() => RunIdiom(CancellationToken.None);

    [Benchmark(Description = "idiom, callers with a token (WaitAsync)")]
    public int IdiomWithCallerTokens() => RunIdiom(_callerCancellation.Token);

    [Benchmark(Description = "SingleFlight")]
    public int SingleFlight() => RunSingleFlight(CancellationToken.None);

    [Benchmark(Description = "SingleFlight, callers with a token")]
    public int SingleFlightWithCallerTokens() => RunSingleFlight(_callerCancellation.Token);

    [Benchmark(Description = "HybridCache, nothing cached")]
    public int HybridCacheNothingCached() => RunHybridCache(_hybridNoCache, CancellationToken.None);

    [Benchmark(Description = "HybridCache, nothing cached, callers with a token")]
    public int HybridCacheNothingCachedWithCallerTokens() => RunHybridCache(_hybridNoCache, _callerCancellation.Token);

    [Benchmark(Description = "SingleFlight + MemoryCache, entry removed after")]
    public int SingleFlightMemoryCache()
    {
        for (int i = 0; i < Callers; i++)
        {
            _simpleTaskCallers[i] = SingleFlightMemoryCacheCaller(_singleFlight, _memoryCache, _signal);
        }

        int sum = CompleteLoadAndSum(_simpleTaskCallers);
        _memoryCache.Remove(KeyName);
        return sum;
    }

    [Benchmark(Description = "HybridCache, local cache, entry removed after")]
    public int HybridCacheLocalCache()
    {
        int sum = RunHybridCache(_hybridCache, CancellationToken.None);
        ValueTask removal = _hybridCache.RemoveAsync(KeyName);
        if (!removal.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("HybridCache without a distributed cache should remove synchronously.");
        }

        return sum;
    }

    [Benchmark(Description = "FusionCache, entry removed after")]
    public int FusionCacheDefaults()
    {
        for (int i = 0; i < Callers; i++)
        {
            _taskCallers[i] = FusionCacheCaller(_fusionCache, _fusionFactory);
        }

        int sum = CompleteLoadAndSum(_taskCallers);
        _fusionCache.Remove(KeyName);
        return sum;
    }

    private int RunIdiom(CancellationToken callerToken)
    {
        for (int i = 0; i < Callers; i++)
        {
            _taskCallers[i] = IdiomCaller(_idiom, callerToken);
        }

        return CompleteLoadAndSum(_taskCallers);
    }

    private int RunSingleFlight(CancellationToken callerToken)
    {
        for (int i = 0; i < Callers; i++)
        {
            _simpleTaskCallers[i] = SingleFlightCaller(_singleFlight, _signal, callerToken);
        }

        return CompleteLoadAndSum(_simpleTaskCallers);
    }

    private int RunHybridCache(HybridCache cache, CancellationToken callerToken)
    {
        for (int i = 0; i < Callers; i++)
        {
            _taskCallers[i] = HybridCacheCaller(cache, _signal, callerToken);
        }

        return CompleteLoadAndSum(_taskCallers);
    }

    /// <summary>Completes the one load all callers share, then reads every caller's result.</summary>
    private int CompleteLoadAndSum(Task<int>[] callers)
    {
        _signal.Complete(1);
        int sum = 0;
        for (int i = 0; i < Callers; i++)
        {
            sum += CompletedResult.Of(callers[i]);
        }

        return sum;
    }

    /// <summary>Completes the one load all callers share, then reads every caller's result.</summary>
    private int CompleteLoadAndSum(SimpleTask<int>[] callers)
    {
        _signal.Complete(1);
        int sum = 0;
        for (int i = 0; i < Callers; i++)
        {
            sum += CompletedResult.Of(callers[i]);
        }

        return sum;
    }

    private static async Task<int> IdiomCaller(LazyTaskIdiom idiom, CancellationToken cancellationToken) =>
        await idiom.GetAsync(Key).WaitAsync(cancellationToken) + 1;

    private static async SimpleTask<int> SingleFlightCaller(
        SingleFlight<int, int> flight, LoadSignal signal, CancellationToken cancellationToken) =>
        await flight.RunAsync(Key, signal, static (_, signal, _) => Load(signal), cancellationToken) + 1;

    private static async SimpleTask<int> SingleFlightMemoryCacheCaller(SingleFlight<int, int> flight, MemoryCache cache, LoadSignal signal)
    {
        if (!cache.TryGetValue(KeyName, out int value))
        {
            value = await flight.RunAsync(Key, (Cache: cache, Signal: signal), static (_, state, _) => LoadAndCache(state.Cache, state.Signal));
        }

        return value + 1;
    }

    private static async Task<int> HybridCacheCaller(HybridCache cache, LoadSignal signal, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(KeyName, signal, static (signal, _) => LoadValueTask(signal), cancellationToken: cancellationToken) + 1;

    private static async Task<int> FusionCacheCaller(
        FusionCache cache, Func<FusionCacheFactoryExecutionContext<int>, CancellationToken, Task<int>> factory) =>
        await cache.GetOrSetAsync<int>(KeyName, factory) + 1;

    private static async SimpleTask<int> Load(LoadSignal signal) => await signal;

    /// <summary>Stores the value before the flight completes, as a cache-aside load must.</summary>
    private static async SimpleTask<int> LoadAndCache(MemoryCache cache, LoadSignal signal)
    {
        int value = await signal;
        cache.Set(KeyName, value);
        return value;
    }

    private static async ValueTask<int> LoadValueTask(LoadSignal signal) => await signal;

    private static async Task<int> LoadTask(LoadSignal signal) => await signal;
}
