using System.Globalization;
using System.Runtime;
using SharedTask.Samples.CoalescingDemo.Sides;
using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// The main job: a simulated service whose requests are coalesced per key, run through SharedTask's SingleFlight, the
/// ConcurrentDictionary&lt;TKey, Lazy&lt;Task&lt;TValue&gt;&gt;&gt; idiom, HybridCache and FusionCache, with the same
/// clients, keys and load body, and the results side by side: first the sides that keep nothing after a load, then the
/// sides that cache results, SingleFlight among them in front of the same MemoryCache.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Numbers print the same on every machine (1,234.5).
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        TextWriter output = Console.Out;
        DemoOptions? options = DemoOptions.Parse(args, out string? error);
        if (options is null)
        {
            bool help = error == string.Empty;
            (help ? output : Console.Error).WriteLine(help ? DemoOptions.Usage : $"error: {error}{Environment.NewLine}{Environment.NewLine}{DemoOptions.Usage}");
            return help ? 0 : 2;
        }

        WriteHeader(options, output);

        List<ServiceSide> coalescingOnly = [];
        List<ServiceSide> caching = [];
        try
        {
            AddIfChosen(coalescingOnly, options, "singleflight", () => new SingleFlightSide(options.LoadMilliseconds));
            AddIfChosen(coalescingOnly, options, "idiom", () => new IdiomSide(options.LoadMilliseconds));
            AddIfChosen(coalescingOnly, options, "hybridcache-nocache", () => new HybridCacheSide(options.LoadMilliseconds, options.Keys, cacheDuration: null));
            AddIfChosen(caching, options, "singleflight-memorycache", () => new SingleFlightMemoryCacheSide(options.LoadMilliseconds, options.Keys, options.CacheDuration));
            AddIfChosen(caching, options, "hybridcache", () => new HybridCacheSide(options.LoadMilliseconds, options.Keys, options.CacheDuration));
            AddIfChosen(caching, options, "fusioncache", () => new FusionCacheSide(options.LoadMilliseconds, options.Keys, options.CacheDuration));

            List<SideResult> coalescingOnlyResults = await RunAllAsync(coalescingOnly, options, output);
            List<SideResult> cachingResults = await RunAllAsync(caching, options, output);

            WriteTable("Nothing cached: each side shares the load in flight, then forgets it", coalescingOnlyResults, output);
            WriteTable(
                $"Results cached for {options.CacheMilliseconds} ms: like for like, SingleFlight in front of the same MemoryCache the peers use",
                cachingResults,
                output);
            WriteLegend([.. coalescingOnly, .. caching], output);
            WriteFootnotes(output);
            return coalescingOnlyResults.Concat(cachingResults).Any(static result => result.WrongResponses != 0) ? 1 : 0;
        }
        finally
        {
            foreach (ServiceSide side in coalescingOnly.Concat(caching))
            {
                side.Dispose();
            }
        }
    }

    private static void AddIfChosen(List<ServiceSide> sides, DemoOptions options, string id, Func<ServiceSide> create)
    {
        if (options.Sides.Contains(id))
        {
            sides.Add(create());
        }
    }

    private static async Task<List<SideResult>> RunAllAsync(List<ServiceSide> sides, DemoOptions options, TextWriter output)
    {
        var results = new List<SideResult>();
        foreach (ServiceSide side in sides)
        {
            if (side is SingleFlightSide)
            {
                // Watching the meter costs this side a little (one counter increment per frame rent and return, per
                // coalescing hit and miss; within run-to-run noise here): it is read to cross-check the table, and its
                // cost is included in SingleFlight's numbers. The other sides run unwatched.
                using var meter = new SharedTaskMeterWatch();
                results.Add(await Simulation.RunAsync(side, options, output));
                output.WriteLine(
                    $"  SharedTask meter over the whole SingleFlight run: {meter.Read(SharedTaskMetrics.SingleFlightHits):N0} hits, " +
                    $"{meter.Read(SharedTaskMetrics.SingleFlightMisses):N0} misses (loads started), " +
                    $"{meter.Read(SharedTaskMetrics.FramesRented):N0} frames rented, {meter.Read(SharedTaskMetrics.FramesCreated):N0} created, " +
                    $"{meter.Read(SharedTaskMetrics.FramesLive):N0} live at the end");
            }
            else
            {
                results.Add(await Simulation.RunAsync(side, options, output));
            }

            SettleBetweenSides();
        }

        return results;
    }

    private static void WriteHeader(DemoOptions options, TextWriter output)
    {
        output.WriteLine("SharedTask coalescing demo");
        output.WriteLine(
            $"Simulated service: {options.Clients:N0} concurrent clients, each sending requests back to back for one of " +
            $"{options.Keys} hot keys (chosen uniformly).");
        output.WriteLine(
            $"A request runs an async handler that awaits the coalescer for its key and returns the value + 1. A load " +
            $"awaits Task.Delay({options.LoadMilliseconds} ms) and computes the value from the key: the same body on every side.");
        output.WriteLine(
            $"Each side: {options.WarmupSeconds:0.#} s warm-up, then {options.DurationSeconds:0.#} s measured, then the " +
            $"cancellation probe. {Environment.ProcessorCount} processors, {(GCSettings.IsServerGC ? "server" : "workstation")} GC.");
        output.WriteLine();
    }

    private static void WriteTable(string title, List<SideResult> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            return;
        }

        output.WriteLine();
        ResultsTable.Write(title, results, output);
    }

    private static void WriteLegend(IEnumerable<ServiceSide> sides, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("How each side is set up:");
        foreach (ServiceSide side in sides)
        {
            output.WriteLine($"  {side.Name}: {side.Configuration}");
        }
    }

    private static void WriteFootnotes(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("requests: responses received inside the measured window; bytes: GC.GetTotalAllocatedBytes(precise: true)");
        output.WriteLine("over the window (the whole process, clients included) divided by requests; CPU: the process's processor");
        output.WriteLine("time over the window divided by requests; latency: from sending a request to receiving its response, every");
        output.WriteLine("request recorded (10 us buckets). A client whose response came from a cache yields its thread before the next");
        output.WriteLine("request (Task.Yield queues the client's own state machine), so that clients of the caching sides take turns.");
        output.WriteLine("Each handler is written in its side's natural async type: async SimpleTask<int> with SingleFlight, async");
        output.WriteLine("Task<int> with the idiom, async ValueTask<int> with HybridCache and FusionCache. Measured requests carry no");
        output.WriteLine("caller token; the probe's do. SingleFlight ran with the SharedTask meter enabled (its cost included).");
        output.WriteLine("Without a cache, throughput is about clients / load time: the coalescer's own cost shows in CPU and bytes");
        output.WriteLine("per request. With a cache most requests are hits: throughput and CPU then measure the hit path.");
        output.WriteLine("Cancellation probe: three callers with tokens ask for a key whose load holds; the first (which started the");
        output.WriteLine("load) cancels, then the other two; after each step the load is watched for 300 ms.");
    }

    /// <summary>Lets one side's garbage be collected before the next side starts, so it is not billed for it.</summary>
    private static void SettleBetweenSides()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
