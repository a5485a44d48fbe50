using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>
/// One way of coalescing the simulated service's requests. A client sends one request at a time, back to back: pick a
/// key, call the request handler (an async method that awaits the coalescer for the key and returns the value + 1),
/// record the latency.
/// </summary>
internal abstract class ServiceSide(int loadMilliseconds) : IDisposable
{
    /// <summary>The side's column heading.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the side keeps values after their load ends ("no", or for how long).</summary>
    public abstract string Caching { get; }

    /// <summary>How the side is set up, for the legend under the table.</summary>
    public abstract string Configuration { get; }

    public SimulatedBackend Backend { get; } = new(loadMilliseconds);

    /// <summary>Runs one client until <see cref="ClientRun.Stopping"/>; the random key sequence is fixed by <paramref name="client"/>.</summary>
    public abstract Task RunClientAsync(int client, ClientRun run);

    /// <summary>One request with a caller token that can cancel it, for the <see cref="AbandonProbe"/>.</summary>
    public abstract Task<int> RequestWithTokenAsync(int key, CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
