using SharedTask.Samples.CatalogService.Catalog;
using SharedTask.Samples.CatalogService.Load;

namespace SharedTask.Samples.CatalogService;

/// <summary>
/// Runs the catalog service (<c>dotnet run --project samples/CatalogService [-- --Catalog:Backend=Idiom]</c>), or, with
/// <c>load</c> as the first argument, the load mode that starts the service once per back end and drives it over HTTP.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == LoadOptions.Verb)
        {
            return await LoadMode.RunAsync(args[1..], Console.Out, Console.Error);
        }

        await using WebApplication app = CatalogApp.Create(args);
        await app.StartAsync();
        CatalogBackend backend = app.Services.GetRequiredService<CatalogOptions>().Backend;
        Console.WriteLine($"{CatalogApp.ListeningLinePrefix}{CatalogApp.ListeningAddress(app)} (back end: {backend})");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
