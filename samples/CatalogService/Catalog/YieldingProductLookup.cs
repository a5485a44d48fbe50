namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>
/// Another lookup, then <see cref="Task.Yield"/>: the rest of the request (JSON, the response write) continues on a
/// thread-pool thread of its own.
/// </summary>
/// <remarks>
/// SingleFlight resumes every caller of a load on the thread that completes the load, one after another. In a web
/// service each caller's continuation is the rest of an HTTP request, so the responses of a load's callers are then
/// written serially by one thread while other cores may be idle; <see cref="Task{TResult}"/>, which the idiom and
/// HybridCache use, hands every continuation but the first to the thread pool. The yield buys that parallelism back, for
/// one state-machine box per request (this method suspends).
/// </remarks>
/// <param name="inner">The lookup whose result is awaited first.</param>
public sealed class YieldingProductLookup(IProductLookup inner) : IProductLookup
{
    /// <inheritdoc/>
    public async ValueTask<Product> GetAsync(int id, CancellationToken requestAborted)
    {
        Product product = await inner.GetAsync(id, requestAborted);
        await Task.Yield();
        return product;
    }
}
