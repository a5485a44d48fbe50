using System.Text.Json.Serialization;

namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>The coalescing back end <c>GET /products/{id}</c> runs through (<c>Catalog:Backend</c>; by name in JSON).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CatalogBackend>))]
public enum CatalogBackend
{
    /// <summary>SharedTask's <see cref="SingleFlight{TKey, TValue}"/>.</summary>
    SingleFlight,

    /// <summary>HybridCache's stampede protection, with its caches disabled.</summary>
    HybridCache,

    /// <summary>The <c>ConcurrentDictionary&lt;int, Lazy&lt;Task&lt;Product&gt;&gt;&gt;</c> idiom.</summary>
    Idiom,
}
