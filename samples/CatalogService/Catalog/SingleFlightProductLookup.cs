namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>
/// <c>GET /products/{id}</c> through SharedTask's <see cref="SingleFlight{TKey, TValue}"/>: one load per id in flight,
/// each request waiting with its own <c>RequestAborted</c>, the load canceled when every request for it has gone.
/// Nothing is cached.
/// </summary>
/// <param name="store">The store loads come from.</param>
public sealed class SingleFlightProductLookup(IProductStore store) : IProductLookup
{
    private readonly SingleFlight<int, Product> _flight = new();

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="SimpleTask{T}.AsValueTask"/> hands ASP.NET Core a pooled <see cref="IValueTaskSource{TResult}"/>, which the
    /// framework awaits once: a request that joins a load allocates nothing here.
    /// </remarks>
    public ValueTask<Product> GetAsync(int id, CancellationToken requestAborted) =>
        _flight.RunAsync(
                id,
                store,
                static async (id, store, loadToken) => await store.LoadAsync(id, loadToken),
                requestAborted)
            .AsValueTask();
}
