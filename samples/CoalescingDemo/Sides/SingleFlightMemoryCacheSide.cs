using Microsoft.Extensions.Caching.Memory;

namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>
/// SingleFlight in front of a <see cref="MemoryCache"/>, the cache HybridCache and FusionCache keep their values in: a
/// request reads the cache, and only a miss goes through the flight, whose load stores its value before it completes.
/// The like-for-like partner of the caching peers.
/// </summary>
internal sealed class SingleFlightMemoryCacheSide(int loadMilliseconds, int keys, TimeSpan cacheDuration)
    : SimpleTaskHandlerSide(loadMilliseconds)
{
    private readonly SingleFlight<int, int> _flight = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly CacheKeyNames _keyNames = new(keys);

    public override string Name => "SingleFlight + MemoryCache";

    public override string Caching => $"yes, {cacheDuration.TotalMilliseconds:0} ms";

    public override string Configuration =>
        $"MemoryCache.TryGetValue, on a miss SingleFlight.RunAsync whose load does MemoryCache.Set(key, value, " +
        $"{cacheDuration.TotalMilliseconds:0} ms absolute expiration).";

    protected override async SimpleTask<int> HandleRequestAsync(int key, CancellationToken cancellationToken)
    {
        if (!_cache.TryGetValue(_keyNames[key], out int value))
        {
            value = await _flight.RunAsync(
                key, this, static (key, side, loadToken) => side.LoadAndCacheAsync(key, loadToken), cancellationToken);
        }

        return value + 1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cache.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Stored before the flight completes, so a request arriving after the flight has ended finds the value.</summary>
    private async SimpleTask<int> LoadAndCacheAsync(int key, CancellationToken cancellationToken)
    {
        int value = await Backend.LoadAsync(key, cancellationToken);
        _cache.Set(_keyNames[key], value, cacheDuration);
        return value;
    }
}
