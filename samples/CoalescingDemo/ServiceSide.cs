namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// One way of coalescing the simulated service's requests. A client sends one request at a time, back to back: pick a
/// key, call the request handler (an async method that awaits the coalescer for the key and returns the value + 1),
/// record the latency.
/// </summary>
internal abstract class ServiceSide(int loadMilliseconds)
{
    public abstract string Name { get; }

    public SimulatedBackend Backend { get; } = new(loadMilliseconds);

    /// <summary>Runs one client until <see cref="ClientRun.Stopping"/>; the random key sequence is fixed by <paramref name="client"/>.</summary>
    public abstract Task RunClientAsync(int client, ClientRun run);
}
