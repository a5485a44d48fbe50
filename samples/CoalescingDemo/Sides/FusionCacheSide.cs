using ZiggyCreatures.Caching.Fusion;

namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>
/// <see cref="FusionCache"/>.GetOrSetAsync with its defaults, as its documentation shows: cache stampede protection is
/// on by default (a per-key lock), no factory timeouts, no fail-safe, no distributed cache. Its coalescing needs the
/// cache: callers that waited for the lock read the value the first caller's factory stored.
/// </summary>
internal sealed class FusionCacheSide(int loadMilliseconds, int keys, TimeSpan cacheDuration) : ValueTaskHandlerSide(loadMilliseconds)
{
    private readonly FusionCache _cache = new(new FusionCacheOptions
    {
        DefaultEntryOptions = new FusionCacheEntryOptions { Duration = cacheDuration },
    });

    private readonly CacheKeyNames _keyNames = new(keys);

    public override string Name => "FusionCache";

    public override string Caching => $"yes, {cacheDuration.TotalMilliseconds:0} ms";

    public override string Configuration =>
        $"new FusionCache(DefaultEntryOptions: Duration = {cacheDuration.TotalMilliseconds:0} ms, all else default), " +
        "GetOrSetAsync(key, (ctx, token) => load(key, token)): it has no state-passing overload, so each call allocates a closure.";

    protected override async ValueTask<int> HandleRequestAsync(int key, CancellationToken cancellationToken) =>
        await _cache.GetOrSetAsync<int>(
            _keyNames[key], (_, loadToken) => Backend.LoadTaskAsync(key, loadToken), token: cancellationToken) + 1;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cache.Dispose();
        }

        base.Dispose(disposing);
    }
}
