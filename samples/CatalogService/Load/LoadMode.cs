using System.Globalization;
using System.Runtime;
using SharedTask.Samples.CatalogService.Catalog;
using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CatalogService.Load;

/// <summary>
/// The load mode (<c>-- load</c>): for each back end, starts a service process, drives it over loopback HTTP, ends it;
/// then prints the back ends side by side.
/// </summary>
internal static class LoadMode
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        LoadOptions? options = LoadOptions.Parse(args, out string? problem);
        if (options is null)
        {
            bool help = problem == string.Empty;
            (help ? output : error).WriteLine(help ? LoadOptions.Usage : $"error: {problem}{Environment.NewLine}{Environment.NewLine}{LoadOptions.Usage}");
            return help ? 0 : 2;
        }

        output.WriteLine("CatalogService under HTTP load");
        output.WriteLine(
            $"{options.Clients} HTTP clients on this process over loopback, each sending GET /products/{{id}} back to back for one " +
            $"of {options.Keys} ids (chosen uniformly); the service's store takes {options.StoreDelayMilliseconds} ms per load.");
        output.WriteLine(
            $"Each back end in its own service process: {options.WarmupSeconds:0.#} s warm-up, then {options.DurationSeconds:0.#} s " +
            $"measured. {Environment.ProcessorCount} processors shared by the clients and the service, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC.");
        output.WriteLine();

        var results = new List<SideResult>();
        foreach (CatalogBackend backend in options.Backends)
        {
            using ServiceProcess service = await ServiceProcess.StartAsync(backend, options.StoreDelayMilliseconds, output);
            output.WriteLine($"  {backend} service listening on {service.Address}");
            results.Add(await HttpLoad.RunAsync(backend, service.Address, options, output));
        }

        output.WriteLine();
        ResultsTable.Write("GET /products/{id}, one service process per back end, nothing cached", results, output);
        output.WriteLine();
        output.WriteLine("requests, latency and wrong responses: measured by the clients (wrong: a failed request or a body that is");
        output.WriteLine("not the id's product). Loads, bytes, gen0 and CPU: the service process alone, from GET /stats at both ends");
        output.WriteLine("of the window; bytes and CPU include Kestrel, routing and JSON, the same work for every back end.");
        output.WriteLine("Every request waits with its HttpContext.RequestAborted. SingleFlight: RunAsync with the request's token.");
        output.WriteLine("HybridCache: GetOrCreateAsync with DisableLocalCache | DisableDistributedCache (stampede protection alone).");
        output.WriteLine("Idiom: ConcurrentDictionary<int, Lazy<Task<Product>>> with Task.WaitAsync(RequestAborted).");
        return results.Any(static result => result.WrongResponses != 0) ? 1 : 0;
    }
}
