namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>The <c>Catalog</c> configuration section (appsettings, environment, or <c>--Catalog:Backend=Idiom</c>).</summary>
public sealed class CatalogOptions
{
    /// <summary>The configuration section's name.</summary>
    public const string SectionName = "Catalog";

    /// <summary>The coalescing back end (default <see cref="CatalogBackend.SingleFlight"/>).</summary>
    public CatalogBackend Backend { get; set; } = CatalogBackend.SingleFlight;

    /// <summary>How long the simulated store takes per load, in milliseconds (default 20).</summary>
    public int StoreDelayMilliseconds { get; set; } = 20;
}
