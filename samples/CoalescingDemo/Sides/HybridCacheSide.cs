using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>
/// <see cref="HybridCache.GetOrCreateAsync{TState, T}(string, TState, Func{TState, CancellationToken, ValueTask{T}}, HybridCacheEntryOptions?, IEnumerable{string}?, CancellationToken)"/>,
/// registered with <c>AddHybridCache</c> as its documentation shows (stampede protection is built in), with the
/// state-passing overload its documentation recommends against per-call closures. No distributed cache is registered.
/// Without a cache duration, both its caches are disabled by entry flags and only its stampede protection is left.
/// </summary>
internal sealed class HybridCacheSide : ValueTaskHandlerSide
{
    private readonly ServiceProvider _services;
    private readonly HybridCache _cache;
    private readonly CacheKeyNames _keyNames;
    private readonly TimeSpan? _cacheDuration;

    public HybridCacheSide(int loadMilliseconds, int keys, TimeSpan? cacheDuration)
        : base(loadMilliseconds)
    {
        _cacheDuration = cacheDuration;
        _keyNames = new CacheKeyNames(keys);
        _services = new ServiceCollection()
            .AddHybridCache(options => options.DefaultEntryOptions = cacheDuration is { } duration
                ? new HybridCacheEntryOptions { Expiration = duration, LocalCacheExpiration = duration }
                : new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache })
            .Services
            .BuildServiceProvider();
        _cache = _services.GetRequiredService<HybridCache>();
    }

    public override string Name => _cacheDuration is null ? "HybridCache, no cache" : "HybridCache";

    public override string Caching => _cacheDuration is { } duration ? $"yes, {duration.TotalMilliseconds:0} ms" : "no";

    public override string Configuration => _cacheDuration is { } duration
        ? $"AddHybridCache(DefaultEntryOptions: Expiration = LocalCacheExpiration = {duration.TotalMilliseconds:0} ms), " +
          "GetOrCreateAsync(key, state, static factory): local cache (a MemoryCache) only."
        : "AddHybridCache(DefaultEntryOptions: Flags = DisableLocalCache | DisableDistributedCache), " +
          "GetOrCreateAsync(key, state, static factory): stampede protection alone.";

    protected override async ValueTask<int> HandleRequestAsync(int key, CancellationToken cancellationToken) =>
        await _cache.GetOrCreateAsync(
            _keyNames[key],
            (Backend, key),
            static (state, loadToken) => state.Backend.LoadValueTaskAsync(state.key, loadToken),
            cancellationToken: cancellationToken) + 1;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _services.Dispose();
        }

        base.Dispose(disposing);
    }
}
