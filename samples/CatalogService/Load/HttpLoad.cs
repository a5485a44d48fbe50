using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using SharedTask.Samples.CatalogService.Catalog;
using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CatalogService.Load;

/// <summary>
/// Drives one running service: <see cref="LoadOptions.Clients"/> HTTP clients over loopback, each sending
/// <c>GET /products/{id}</c> back to back for a random id and checking the body, for a warm-up and then a measured
/// window of <paramref name="seconds"/>; the service's own counts come from <c>GET /stats</c> read at both ends of it.
/// </summary>
internal static class HttpLoad
{
    public static async Task<HttpWindow> RunAsync(
        CatalogBackend backend, Uri address, LoadOptions options, double seconds, LatencyHistogram latencies, TextWriter output)
    {
        // Loopback only, never through a proxy the environment may name.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = address };
        Uri[] productUris = [.. Enumerable.Range(0, options.Keys).Select(static id => new Uri($"/products/{id}", UriKind.Relative))];

        var run = new ClientRun(options.Keys, latencies);
        var clients = new Task[options.Clients];
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i] = RunClientAsync(client, productUris, i, run);
        }

        string name = backend.ToString();
        await PhaseTimer.RunAsync(options.WarmupSeconds, elapsed => Progress(name, "warm-up", elapsed, requests: null), output);

        ServiceStats before = await ReadStatsAsync(client);
        long requestsBefore = latencies.Count;
        long windowStart = Stopwatch.GetTimestamp();
        run.StartRecording();
        await PhaseTimer.RunAsync(seconds, elapsed => Progress(name, "measuring", elapsed, latencies.Count - requestsBefore), output);
        run.StopRecording();
        TimeSpan window = Stopwatch.GetElapsedTime(windowStart);
        ServiceStats after = await ReadStatsAsync(client);

        run.Stop();
        await Task.WhenAll(clients);

        return new HttpWindow(
            latencies.Count - requestsBefore,
            after.LoadsStarted - before.LoadsStarted,
            after.AllocatedBytes - before.AllocatedBytes,
            TimeSpan.FromMilliseconds(after.CpuTimeMilliseconds - before.CpuTimeMilliseconds),
            after.Gen0Collections - before.Gen0Collections,
            window,
            run.WrongResponses);
    }

    private static async Task RunClientAsync(HttpClient client, Uri[] productUris, int clientIndex, ClientRun run)
    {
        var random = new Random(clientIndex);
        while (!run.Stopping)
        {
            int id = random.Next(run.Keys);
            long start = Stopwatch.GetTimestamp();
            bool correct;
            try
            {
                using HttpResponseMessage response = await client.GetAsync(productUris[id]);
                correct = response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<Product>() == Product.For(id);
            }
            catch (HttpRequestException)
            {
                correct = false;
            }

            run.Complete(start, correct);
        }
    }

    private static async Task<ServiceStats> ReadStatsAsync(HttpClient client) =>
        await client.GetFromJsonAsync<ServiceStats>("/stats")
        ?? throw new InvalidOperationException("GET /stats returned no body.");

    private static string Progress(string backend, string phase, double elapsed, long? requests) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"  {backend,-14} {phase,-9} {elapsed,5:F1} s{(requests is { } count ? $"   requests {count,9:N0}" : string.Empty)}");
}
