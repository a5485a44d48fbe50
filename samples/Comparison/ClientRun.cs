using System.Diagnostics;

namespace SharedTask.Samples.Comparison;

/// <summary>
/// What the clients of one side share while it runs: the key range, the stop signal, the measurement window, and the
/// latencies of the requests that completed inside it.
/// </summary>
/// <param name="keys">How many hot keys the clients choose from.</param>
/// <param name="latencies">Where latencies are recorded: a new histogram, or one shared with the other runs of the same side.</param>
public sealed class ClientRun(int keys, LatencyHistogram latencies)
{
    private volatile bool _stopping;
    private volatile bool _recording;
    private long _wrongResponses;

    /// <summary>How many hot keys the clients choose from (0 to <c>Keys - 1</c>).</summary>
    public int Keys { get; } = keys;

    /// <summary>A run that records into a histogram of its own.</summary>
    /// <param name="keys">How many hot keys the clients choose from.</param>
    public ClientRun(int keys)
        : this(keys, new LatencyHistogram())
    {
    }

    /// <summary>The latencies recorded while recording was on.</summary>
    public LatencyHistogram Latencies { get; } = latencies;

    /// <summary>Set when the side ends: each client stops after its current request.</summary>
    public bool Stopping => _stopping;

    /// <summary>Responses that failed or did not match their key (should stay 0: a coalescer must never mix keys up).</summary>
    public long WrongResponses => Volatile.Read(ref _wrongResponses);

    /// <summary>Starts the measured window: latencies are recorded from now on.</summary>
    public void StartRecording() => _recording = true;

    /// <summary>Ends the measured window.</summary>
    public void StopRecording() => _recording = false;

    /// <summary>Tells every client to stop after its current request.</summary>
    public void Stop() => _stopping = true;

    /// <summary>Records a request that started at <paramref name="startTimestamp"/> and has just got its response.</summary>
    /// <param name="startTimestamp">The <see cref="Stopwatch.GetTimestamp"/> taken when the request was sent.</param>
    /// <param name="correct">Whether the response was the one expected for the request's key.</param>
    public void Complete(long startTimestamp, bool correct)
    {
        if (!correct)
        {
            Interlocked.Increment(ref _wrongResponses);
        }

        if (_recording)
        {
            Latencies.Record(Stopwatch.GetElapsedTime(startTimestamp));
        }
    }
}
