using System.Diagnostics;
using System.Globalization;
using SharedTask.Samples.CoalescingDemo.Sides;
using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// Runs one side: starts the clients, warms up, measures a window with a progress line per second, stops the clients,
/// then probes what the side does with a load whose callers cancel.
/// </summary>
internal static class Simulation
{
    public static async Task<SideResult> RunAsync(ServiceSide side, DemoOptions options, TextWriter output)
    {
        var run = new ClientRun(options.Keys);
        var clients = new Task[options.Clients];
        for (int client = 0; client < clients.Length; client++)
        {
            clients[client] = side.RunClientAsync(client, run);
        }

        await ReportWhileWaitingAsync(side, run, "warm-up", options.WarmupSeconds, output, recording: false);

        long loadsBefore = side.Backend.LoadsStarted;
        long bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        int gen0Before = GC.CollectionCount(0);
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        long windowStart = Stopwatch.GetTimestamp();
        run.StartRecording();

        await ReportWhileWaitingAsync(side, run, "measuring", options.DurationSeconds, output, recording: true);

        run.StopRecording();
        TimeSpan window = Stopwatch.GetElapsedTime(windowStart);
        TimeSpan cpuAfter = Environment.CpuUsage.TotalTime;
        int gen0After = GC.CollectionCount(0);
        long bytesAfter = GC.GetTotalAllocatedBytes(precise: true);
        long loadsAfter = side.Backend.LoadsStarted;

        run.Stop();
        await Task.WhenAll(clients);

        (string oneLeaves, string allLeave) = await side.Backend.Probe.RunAsync(side.RequestWithTokenAsync);
        output.WriteLine($"  {side.Name,-38} callers cancel: first of 3 leaves -> load {oneLeaves}; all leave -> load {allLeave}");

        return new SideResult
        {
            Name = side.Name,
            Caching = side.Caching,
            Keys = options.Keys,
            Requests = run.Latencies.Count,
            LoadsStarted = loadsAfter - loadsBefore,
            AllocatedBytes = bytesAfter - bytesBefore,
            CpuTime = cpuAfter - cpuBefore,
            Gen0Collections = gen0After - gen0Before,
            Window = window,
            P50 = run.Latencies.Percentile(0.50),
            P99 = run.Latencies.Percentile(0.99),
            WrongResponses = run.WrongResponses,
            OneCallerLeaves = oneLeaves,
            AllCallersLeave = allLeave,
        };
    }

    private static Task ReportWhileWaitingAsync(
        ServiceSide side, ClientRun run, string phase, double seconds, TextWriter output, bool recording)
    {
        long loadsAtStart = side.Backend.LoadsStarted;
        return PhaseTimer.RunAsync(
            seconds,
            elapsed =>
            {
                long loads = side.Backend.LoadsStarted - loadsAtStart;
                string requests = recording
                    ? string.Create(CultureInfo.InvariantCulture, $"requests {run.Latencies.Count,11:N0}   ")
                    : string.Empty;
                return string.Create(
                    CultureInfo.InvariantCulture, $"  {side.Name,-38} {phase,-9} {elapsed,5:F1} s   {requests}loads {loads,7:N0}");
            },
            output);
    }
}
