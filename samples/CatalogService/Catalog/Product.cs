using System.ComponentModel;

namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>A catalog product, the body of <c>GET /products/{id}</c>.</summary>
/// <remarks>
/// Sealed and marked immutable, as HybridCache's documentation asks, so that HybridCache hands out the one instance it
/// loaded instead of a deserialized copy per caller.
/// </remarks>
/// <param name="Id">The product id.</param>
/// <param name="Name">The display name.</param>
/// <param name="Price">The price.</param>
[ImmutableObject(true)]
public sealed record Product(int Id, string Name, decimal Price)
{
    /// <summary>The product the simulated catalog holds for <paramref name="id"/> (what every store returns for it).</summary>
    /// <param name="id">The product id.</param>
    /// <returns>The product.</returns>
    public static Product For(int id) => new(id, $"Product {id}", 10m + (id % 1000));
}
