using System.Diagnostics;
using SharedTask.Samples.Measurement;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// What the clients of one side share while it runs: the key range, the stop signal, the measurement window, and the
/// latencies of the requests that completed inside it.
/// </summary>
internal sealed class ClientRun(int keys)
{
    private volatile bool _stopping;
    private volatile bool _recording;
    private long _wrongResponses;

    public int Keys { get; } = keys;

    public LatencyHistogram Latencies { get; } = new();

    /// <summary>Set when the side ends: each client stops after its current request.</summary>
    public bool Stopping => _stopping;

    /// <summary>Responses whose value did not match the key (should stay 0: a coalescer must never mix keys up).</summary>
    public long WrongResponses => Volatile.Read(ref _wrongResponses);

    public void StartRecording() => _recording = true;

    public void StopRecording() => _recording = false;

    public void Stop() => _stopping = true;

    /// <summary>Records a request that started at <paramref name="startTimestamp"/> and has just got its response.</summary>
    public void Complete(int key, long startTimestamp, int response)
    {
        if (response != SimulatedBackend.ValueOf(key) + 1)
        {
            Interlocked.Increment(ref _wrongResponses);
        }

        if (_recording)
        {
            Latencies.Record(Stopwatch.GetElapsedTime(startTimestamp));
        }
    }
}
