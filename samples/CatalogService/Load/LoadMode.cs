using System.Globalization;
using System.Runtime;
using SharedTask.Samples.CatalogService.Catalog;
using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CatalogService.Load;

/// <summary>
/// The load mode (<c>-- load</c>): for each back end, starts a service process, drives it over loopback HTTP, ends it;
/// then prints the back ends side by side. Each back end is measured in two windows, once in the given order and once
/// in the reverse order (A B C C B A), so that what drifts during the run (this process's own JIT warming up, other
/// work on the machine) is spread over the back ends instead of billed to the first.
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
            $"After a warm-up of the clients, each back end twice, in the order given and then reversed, each time in a new service process: " +
            $"{options.WarmupSeconds:0.#} s warm-up, then {options.DurationSeconds / 2:0.#} s measured " +
            $"({options.DurationSeconds:0.#} s per back end). {Environment.ProcessorCount} processors shared by the clients and the service, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC.");
        output.WriteLine();

        Dictionary<CatalogBackend, LatencyHistogram> latencies = options.Backends.ToDictionary(static backend => backend, static _ => new LatencyHistogram());
        Dictionary<CatalogBackend, List<HttpWindow>> windows = options.Backends.ToDictionary(static backend => backend, static _ => new List<HttpWindow>());
        // This process's HTTP client runs cold at first (its code starts unoptimized): measured first, a back end would be
        // billed for that. Warm the client up against a service that is then thrown away.
        using (ServiceProcess warmUpService = await ServiceProcess.StartAsync(options.Backends[0], options.StoreDelayMilliseconds, output))
        {
            output.WriteLine($"  warming up this process's HTTP client against a {options.Backends[0]} service that is not measured");
            await HttpLoad.RunAsync(options.Backends[0], warmUpService.Address, options, seconds: 0, new LatencyHistogram(), output);
        }

        foreach (CatalogBackend backend in options.Backends.Concat(options.Backends.Reverse()))
        {
            using ServiceProcess service = await ServiceProcess.StartAsync(backend, options.StoreDelayMilliseconds, output);
            output.WriteLine($"  {backend} service listening on {service.Address}");
            windows[backend].Add(await HttpLoad.RunAsync(
                backend, service.Address, options, options.DurationSeconds / 2, latencies[backend], output));
        }

        List<SideResult> results = [.. options.Backends.Select(backend => Combine(backend, windows[backend], latencies[backend], options.Keys))];

        output.WriteLine();
        ResultsTable.Write("GET /products/{id}, one service process per back end, nothing cached", results, output);
        output.WriteLine();
        output.WriteLine("requests, latency and wrong responses: measured by the clients (wrong: a failed request or a body that is");
        output.WriteLine("not the id's product). Loads, bytes, gen0 and CPU: the service process alone, from GET /stats at both ends");
        output.WriteLine("of the window; bytes and CPU include Kestrel, routing and JSON, the same work for every back end.");
        output.WriteLine("Every request waits with its HttpContext.RequestAborted. SingleFlight: RunAsync with the request's token.");
        output.WriteLine("HybridCache: GetOrCreateAsync with DisableLocalCache | DisableDistributedCache (stampede protection alone).");
        output.WriteLine("Idiom: ConcurrentDictionary<int, Lazy<Task<Product>>> with Task.WaitAsync(RequestAborted).");
        output.WriteLine("SingleFlightThenYield (with --only): SingleFlight, then await Task.Yield() before the response.");
        return results.Any(static result => result.WrongResponses != 0) ? 1 : 0;
    }

    private static SideResult Combine(CatalogBackend backend, List<HttpWindow> windows, LatencyHistogram latencies, int keys) => new()
    {
        Name = backend.ToString(),
        Caching = "no",
        Keys = keys,
        Requests = windows.Sum(static window => window.Requests),
        LoadsStarted = windows.Sum(static window => window.LoadsStarted),
        AllocatedBytes = windows.Sum(static window => window.AllocatedBytes),
        CpuTime = TimeSpan.FromTicks(windows.Sum(static window => window.CpuTime.Ticks)),
        Gen0Collections = windows.Sum(static window => window.Gen0Collections),
        Window = TimeSpan.FromTicks(windows.Sum(static window => window.Window.Ticks)),
        P50 = latencies.Percentile(0.50),
        P99 = latencies.Percentile(0.99),
        WrongResponses = windows.Sum(static window => window.WrongResponses),
    };
}
