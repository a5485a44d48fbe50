using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SharedTask.Samples.CatalogService;
using SharedTask.Samples.CatalogService.Catalog;

namespace SharedTask.Tests.Integration;

/// <summary>
/// The catalog service started in this process on Kestrel, on a loopback port it chooses, with the
/// <see cref="GatedProductStore"/> in place of its store and its lookup watched; and an HTTP client for it.
/// </summary>
internal sealed class CatalogServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SocketsHttpHandler _handler;

    private CatalogServer(WebApplication app, GatedProductStore store)
    {
        _app = app;
        Store = store;
        Lookup = (WatchedProductLookup)app.Services.GetRequiredService<IProductLookup>();
        _handler = new SocketsHttpHandler { UseProxy = false };
        Client = new HttpClient(_handler) { BaseAddress = CatalogApp.ListeningAddress(app) };
    }

    public GatedProductStore Store { get; }

    public WatchedProductLookup Lookup { get; }

    public HttpClient Client { get; }

    public static async Task<CatalogServer> StartAsync(CatalogBackend backend)
    {
        var store = new GatedProductStore();
        WebApplication app = CatalogApp.Create(
            ["--urls", "http://127.0.0.1:0", $"--Catalog:Backend={backend}", "--Logging:LogLevel:Default=Warning"],
            services =>
            {
                services.AddSingleton<IProductStore>(store);
                services.AddSingleton<IProductLookup>(provider => new WatchedProductLookup(CatalogApp.ResolveLookup(provider, backend)));
            });
        await app.StartAsync();
        return new CatalogServer(app, store);
    }

    /// <summary>GET /products/{id}; canceling <paramref name="cancellationToken"/> disconnects this request's client.</summary>
    public Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default) =>
        Client.GetFromJsonAsync<Product>($"/products/{id}", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _handler.Dispose();
        await _app.DisposeAsync();
    }
}
