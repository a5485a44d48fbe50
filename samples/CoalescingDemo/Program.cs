using System.Globalization;
using System.Runtime;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// The main job: a simulated service whose requests are coalesced per key, run through SharedTask's SingleFlight and
/// through the ConcurrentDictionary&lt;TKey, Lazy&lt;Task&lt;TValue&gt;&gt;&gt; idiom, with the same clients, keys and
/// load body, and a side-by-side table at the end.
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

        var results = new List<SideResult>();
        if (options.RunSingleFlight)
        {
            // Watching the meter costs this side a little (one counter increment per frame rent and return, per
            // coalescing hit and miss; within run-to-run noise here): it is read to cross-check the table, and its cost
            // is included in SingleFlight's numbers. The idiom side runs unwatched.
            using var meter = new SharedTaskMeterWatch();
            SideResult result = await Simulation.RunAsync(new SingleFlightSide(options.LoadMilliseconds), options, output);
            results.Add(result);
            output.WriteLine(
                $"  SharedTask meter over the whole SingleFlight run: {meter.Read(SharedTaskMetrics.SingleFlightHits):N0} hits, " +
                $"{meter.Read(SharedTaskMetrics.SingleFlightMisses):N0} misses (loads started), " +
                $"{meter.Read(SharedTaskMetrics.FramesRented):N0} frames rented, {meter.Read(SharedTaskMetrics.FramesCreated):N0} created, " +
                $"{meter.Read(SharedTaskMetrics.FramesLive):N0} live at the end");
            SettleBetweenSides();
        }

        if (options.RunIdiom)
        {
            results.Add(await Simulation.RunAsync(new IdiomSide(options.LoadMilliseconds), options, output));
        }

        output.WriteLine();
        ResultsTable.Write(results, output);
        WriteFootnotes(results, output);
        return results.Any(static result => result.WrongResponses != 0) ? 1 : 0;
    }

    private static void WriteHeader(DemoOptions options, TextWriter output)
    {
        output.WriteLine("SharedTask coalescing demo");
        output.WriteLine(
            $"Simulated service: {options.Clients:N0} concurrent clients, each sending requests back to back for one of " +
            $"{options.Keys} hot keys (chosen uniformly).");
        output.WriteLine(
            $"A request runs an async handler that awaits the coalescer for its key and returns the value + 1. A load " +
            $"awaits Task.Delay({options.LoadMilliseconds} ms) and computes the value from the key: the same body on both sides.");
        output.WriteLine(
            $"Each side: {options.WarmupSeconds:0.#} s warm-up, then {options.DurationSeconds:0.#} s measured. " +
            $"{Environment.ProcessorCount} processors, {(GCSettings.IsServerGC ? "server" : "workstation")} GC.");
        output.WriteLine();
    }

    private static void WriteFootnotes(List<SideResult> results, TextWriter output)
    {
        output.WriteLine("requests: responses received inside the measured window; bytes: GC.GetTotalAllocatedBytes(precise: true)");
        output.WriteLine("over the window (the whole process, clients included) divided by requests; latency: from sending a");
        output.WriteLine("request to receiving its response, every request recorded (10 us buckets).");
        output.WriteLine("Each handler is written in its side's async type: async SimpleTask<int> with SingleFlight, async Task<int>");
        output.WriteLine("with the idiom. SingleFlight's loads also observe their cancel-on-abandon token; the idiom's cannot.");
        output.WriteLine("SingleFlight ran with the SharedTask meter enabled (its cost included); the idiom ran unwatched.");
        output.WriteLine("Throughput is about clients / mean latency, so while the CPU has room it measures the simulated load's");
        output.WriteLine("latency more than the coalescer: CPU time and bytes per request show the coalescer's own cost. Raise");
        output.WriteLine("--clients until the processors are saturated to compare throughput under load.");
        if (results.Count == 2 && results[1].RequestsPerSecond > 0)
        {
            SideResult ours = results[0];
            SideResult idiom = results[1];
            output.WriteLine();
            output.WriteLine(
                $"SingleFlight vs the idiom: {ours.RequestsPerSecond / idiom.RequestsPerSecond:F2}x the throughput, " +
                $"{ours.BytesPerRequest:N1} vs {idiom.BytesPerRequest:N1} bytes allocated per request.");
        }
    }

    /// <summary>Lets the first side's garbage be collected before the second side starts, so it is not billed for it.</summary>
    private static void SettleBetweenSides()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
