using System.Text.Json.Serialization;

namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>The coalescing back end <c>GET /products/{id}</c> runs through (<c>Catalog:Backend</c>; by name in JSON).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CatalogBackend>))]
public enum CatalogBackend
{
    /// <summary>SharedTask's <see cref="SingleFlight{TKey, TValue}"/>.</summary>
    SingleFlight,

    /// <summary>
    /// <see cref="SingleFlight"/>, then a yield to the thread pool (<see cref="YieldingProductLookup"/>), so that the
    /// requests sharing a load finish their responses on several threads instead of one after another on the thread
    /// that completed the load.
    /// </summary>
    SingleFlightThenYield,

    /// <summary>HybridCache's stampede protection, with its caches disabled.</summary>
    HybridCache,

    /// <summary>The <c>ConcurrentDictionary&lt;int, Lazy&lt;Task&lt;Product&gt;&gt;&gt;</c> idiom.</summary>
    Idiom,
}
