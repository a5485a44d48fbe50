namespace SharedTask.Samples.Comparison;

/// <summary>What one side (one way of coalescing requests) measured inside its window, and how it treats cancellation.</summary>
public sealed record SideResult
{
    /// <summary>The side's column heading.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the side keeps results after a load ends ("no", or for how long it caches them).</summary>
    public required string Caching { get; init; }

    /// <summary>How many hot keys the requests were spread over.</summary>
    public required int Keys { get; init; }

    /// <summary>Responses received inside the window.</summary>
    public required long Requests { get; init; }

    /// <summary>Loads the slow store started inside the window.</summary>
    public required long LoadsStarted { get; init; }

    /// <summary>Bytes the measured process allocated inside the window.</summary>
    public required long AllocatedBytes { get; init; }

    /// <summary>Processor time the measured process used inside the window (every core, every thread).</summary>
    public required TimeSpan CpuTime { get; init; }

    /// <summary>Generation-0 collections of the measured process inside the window.</summary>
    public required int Gen0Collections { get; init; }

    /// <summary>How long the window lasted.</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>Median latency from sending a request to receiving its response.</summary>
    public required TimeSpan P50 { get; init; }

    /// <summary>99th-percentile latency.</summary>
    public required TimeSpan P99 { get; init; }

    /// <summary>Responses that failed or did not match their key (should stay 0: a coalescer must never mix keys up).</summary>
    public required long WrongResponses { get; init; }

    /// <summary>What happened to a load when the first of its three callers left, or null when not probed.</summary>
    public string? OneCallerLeaves { get; init; }

    /// <summary>What happened to a load when all three of its callers left, or null when not probed.</summary>
    public string? AllCallersLeave { get; init; }

    /// <summary>Requests served per load started: how many callers shared each load.</summary>
    public double RequestsPerLoad => LoadsStarted == 0 ? 0 : Requests / (double)LoadsStarted;

    /// <summary>Loads started per key per second of the window.</summary>
    public double LoadsPerKeyPerSecond => Keys == 0 || Window <= TimeSpan.Zero ? 0 : LoadsStarted / (double)Keys / Window.TotalSeconds;

    /// <summary>Bytes allocated per request.</summary>
    public double BytesPerRequest => Requests == 0 ? 0 : AllocatedBytes / (double)Requests;

    /// <summary>Requests completed per second.</summary>
    public double RequestsPerSecond => Window <= TimeSpan.Zero ? 0 : Requests / Window.TotalSeconds;

    /// <summary>Processor time per request, in microseconds.</summary>
    public double CpuMicrosecondsPerRequest => Requests == 0 ? 0 : CpuTime.TotalMicroseconds / Requests;
}
