using System.Diagnostics;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>The service with SharedTask's <see cref="SingleFlight{TKey, TValue}"/>; its request handler returns <see cref="SimpleTask{T}"/>.</summary>
internal sealed class SingleFlightSide(int loadMilliseconds) : ServiceSide(loadMilliseconds)
{
    private readonly SingleFlight<int, int> _flight = new();

    public override string Name => "SingleFlight";

    public override async Task RunClientAsync(int client, ClientRun run)
    {
        var random = new Random(client);
        while (!run.Stopping)
        {
            int key = random.Next(run.Keys);
            long start = Stopwatch.GetTimestamp();
            int response = await HandleRequestAsync(key);
            run.Complete(key, start, response);
        }
    }

    /// <summary>The request handler: the state-passing overload and a static lambda, so a joining request allocates nothing.</summary>
    private async SimpleTask<int> HandleRequestAsync(int key) =>
        await _flight.RunAsync(key, Backend, static (key, backend, cancellationToken) => backend.LoadAsync(key, cancellationToken)) + 1;
}
