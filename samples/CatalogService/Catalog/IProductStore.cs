namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>The slow store products are loaded from (a database or a remote service in a real catalog).</summary>
public interface IProductStore
{
    /// <summary>Loads product <paramref name="id"/>.</summary>
    /// <param name="id">The product id.</param>
    /// <param name="cancellationToken">Canceled when nobody waits for the load any more (by the back ends that can tell).</param>
    /// <returns>The product.</returns>
    Task<Product> LoadAsync(int id, CancellationToken cancellationToken);
}
