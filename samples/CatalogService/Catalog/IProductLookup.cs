namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>How <c>GET /products/{id}</c> gets a product: one of the coalescing back ends in front of the store.</summary>
public interface IProductLookup
{
    /// <summary>Product <paramref name="id"/>, sharing a load in flight for the same id with other requests.</summary>
    /// <param name="id">The product id.</param>
    /// <param name="requestAborted">The request's <c>HttpContext.RequestAborted</c>: ends this request's wait only.</param>
    /// <returns>The product.</returns>
    ValueTask<Product> GetAsync(int id, CancellationToken requestAborted);
}
