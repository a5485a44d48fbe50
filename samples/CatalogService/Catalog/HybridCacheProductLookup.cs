using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;

namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>
/// <c>GET /products/{id}</c> through HybridCache's stampede protection alone: <c>GetOrCreateAsync</c> with the
/// state-passing overload and its local and distributed caches disabled by entry flags, so that it coalesces loads in
/// flight and caches nothing, like the other back ends. HybridCache cancels a load when every request for it has gone.
/// </summary>
/// <param name="cache">The HybridCache registered by <c>AddHybridCache()</c>.</param>
/// <param name="store">The store loads come from.</param>
public sealed class HybridCacheProductLookup(HybridCache cache, IProductStore store) : IProductLookup
{
    private static readonly HybridCacheEntryOptions s_coalesceOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache,
    };

    /// <inheritdoc/>
    /// <remarks>HybridCache keys are strings: each request formats one.</remarks>
    public ValueTask<Product> GetAsync(int id, CancellationToken requestAborted) =>
        cache.GetOrCreateAsync(
            string.Create(CultureInfo.InvariantCulture, $"product:{id}"),
            (Store: store, Id: id),
            static async (state, loadToken) => await state.Store.LoadAsync(state.Id, loadToken),
            s_coalesceOnly,
            cancellationToken: requestAborted);
}
