using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>
/// <c>GET /products/{id}</c> through the <c>ConcurrentDictionary&lt;int, Lazy&lt;Task&lt;Product&gt;&gt;&gt;</c> idiom
/// (<see cref="LazyTaskCoalescer{TKey, TValue}"/>): a request stops waiting with
/// <see cref="Task{TResult}.WaitAsync(CancellationToken)"/>, but the load gets no token, so it runs on when every request
/// for it has gone. Nothing is cached.
/// </summary>
public sealed class IdiomProductLookup : IProductLookup
{
    private readonly LazyTaskCoalescer<int, Product> _coalescer;

    /// <summary>Creates the lookup.</summary>
    /// <param name="store">The store loads come from.</param>
    public IdiomProductLookup(IProductStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _coalescer = new LazyTaskCoalescer<int, Product>(id => store.LoadAsync(id, CancellationToken.None));
    }

    /// <inheritdoc/>
    public ValueTask<Product> GetAsync(int id, CancellationToken requestAborted) =>
        new(_coalescer.GetAsync(id).WaitAsync(requestAborted));
}
