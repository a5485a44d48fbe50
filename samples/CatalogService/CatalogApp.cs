using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SharedTask.Samples.CatalogService.Catalog;

namespace SharedTask.Samples.CatalogService;

/// <summary>
/// Builds the catalog service: <c>GET /products/{id}</c> through the configured coalescing back end (with the request's
/// <c>HttpContext.RequestAborted</c> as the caller's token), and <c>GET /stats</c> for the load mode. The SharedTask meter
/// is a <see cref="System.Diagnostics.Metrics.Meter"/>, so dotnet-counters sees it without any registration here.
/// </summary>
public static class CatalogApp
{
    /// <summary>The line the service writes once it listens, followed by its address (the load mode reads it).</summary>
    public const string ListeningLinePrefix = "CatalogService listening on ";

    /// <summary>Builds the service from command-line <paramref name="args"/> (ASP.NET Core's configuration syntax).</summary>
    /// <param name="args">For example <c>--urls http://127.0.0.1:0 --Catalog:Backend=Idiom</c>.</param>
    /// <param name="configureServices">Runs after the service's own registrations, so it can replace them (tests).</param>
    /// <returns>The application, not started.</returns>
    /// <exception cref="InvalidOperationException">The <c>Catalog</c> configuration section is invalid.</exception>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        CatalogOptions options = ReadOptions(builder.Configuration);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new SimulatedProductStore(TimeSpan.FromMilliseconds(options.StoreDelayMilliseconds)));
        builder.Services.AddSingleton<IProductStore>(static services => services.GetRequiredService<SimulatedProductStore>());
        builder.Services.AddHybridCache();
        builder.Services.AddSingleton<SingleFlightProductLookup>();
        builder.Services.AddSingleton<HybridCacheProductLookup>();
        builder.Services.AddSingleton<IdiomProductLookup>();
        builder.Services.AddSingleton(static services => new YieldingProductLookup(services.GetRequiredService<SingleFlightProductLookup>()));
        builder.Services.AddSingleton(services => ResolveLookup(services, options.Backend));
        configureServices?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.MapGet(
            "/products/{id:int:min(0)}",
            static (int id, IProductLookup lookup, HttpContext context) => lookup.GetAsync(id, context.RequestAborted));
        app.MapGet(
            "/stats",
            static (CatalogOptions options, SimulatedProductStore store) => new ServiceStats(
                options.Backend,
                store.LoadsStarted,
                store.LoadsCanceled,
                GC.GetTotalAllocatedBytes(precise: true),
                Environment.CpuUsage.TotalTime.TotalMilliseconds,
                GC.CollectionCount(0)));
        return app;
    }

    /// <summary>The lookup registered for <paramref name="backend"/>.</summary>
    /// <param name="services">The service's provider.</param>
    /// <param name="backend">The back end.</param>
    /// <returns>The lookup.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="backend"/> is not a defined back end.</exception>
    public static IProductLookup ResolveLookup(IServiceProvider services, CatalogBackend backend) => backend switch
    {
        CatalogBackend.SingleFlight => services.GetRequiredService<SingleFlightProductLookup>(),
        CatalogBackend.SingleFlightThenYield => services.GetRequiredService<YieldingProductLookup>(),
        CatalogBackend.HybridCache => services.GetRequiredService<HybridCacheProductLookup>(),
        CatalogBackend.Idiom => services.GetRequiredService<IdiomProductLookup>(),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "Catalog:Backend takes SingleFlight, SingleFlightThenYield, HybridCache or Idiom."),
    };

    /// <summary>The address a started application listens on (the port Kestrel chose when asked for port 0).</summary>
    /// <param name="app">A started application.</param>
    /// <returns>The first address, for example <c>http://127.0.0.1:41235</c>.</returns>
    /// <exception cref="InvalidOperationException">The application listens nowhere (it was not started).</exception>
    public static Uri ListeningAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string? address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is null
            ? throw new InvalidOperationException("The catalog service listens on no address: start it before asking where it listens.")
            : new Uri(address);
    }

    private static CatalogOptions ReadOptions(ConfigurationManager configuration)
    {
        // The binder throws InvalidOperationException naming the key for a value it cannot convert (Backend=Foo).
        CatalogOptions options = configuration.GetSection(CatalogOptions.SectionName).Get<CatalogOptions>() ?? new CatalogOptions();
        if (!Enum.IsDefined(options.Backend))
        {
            throw new InvalidOperationException(
                $"Catalog:Backend is {(int)options.Backend}: it takes SingleFlight, SingleFlightThenYield, HybridCache or Idiom.");
        }

        if (options.StoreDelayMilliseconds < 0)
        {
            throw new InvalidOperationException(
                $"Catalog:StoreDelayMilliseconds is {options.StoreDelayMilliseconds}: it takes 0 or more milliseconds.");
        }

        return options;
    }
}
