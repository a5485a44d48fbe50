namespace SharedTask;

/// <summary>
/// The names of SharedTask's <see cref="System.Diagnostics.Metrics.Meter"/> and its instruments, for
/// <c>dotnet-counters monitor --counters SharedTask</c>, a <see cref="System.Diagnostics.Metrics.MeterListener"/>, or
/// an OpenTelemetry <c>AddMeter(SharedTaskMetrics.MeterName)</c>.
/// </summary>
/// <remarks>
/// <para>Counting is free while nobody listens: every hot-path hook tests whether its instrument is enabled and does
/// nothing else when it is not (no allocation, no interlocked operation). Counts therefore start when a listener
/// enables an instrument; they are process-wide totals from that moment, not since the process started.</para>
/// <para>While enabled, frame and coalescing counts are kept in per-processor cells (one interlocked increment on a
/// cache line no other core writes) and summed when the listener collects, so monitoring does not serialize the
/// cores.</para>
/// </remarks>
public static class SharedTaskMetrics
{
    /// <summary>The meter's name: <c>SharedTask</c>.</summary>
    public const string MeterName = "SharedTask";

    /// <summary>
    /// <c>sharedtask.frames.created</c> (observable counter, <c>{frame}</c>): frames constructed because their pool had
    /// none idle. In steady state it stops growing.
    /// </summary>
    public const string FramesCreated = "sharedtask.frames.created";

    /// <summary><c>sharedtask.frames.rented</c> (observable counter, <c>{frame}</c>): frames taken from a pool for a new use.</summary>
    public const string FramesRented = "sharedtask.frames.rented";

    /// <summary>
    /// <c>sharedtask.frames.returned</c> (observable counter, <c>{frame}</c>): frames given back to their pool after the last
    /// reference of a use was released.
    /// </summary>
    public const string FramesReturned = "sharedtask.frames.returned";

    /// <summary>
    /// <c>sharedtask.frames.live</c> (observable up-down counter, <c>{frame}</c>): rented minus returned, counted while this
    /// instrument or either of those two is enabled. It is the change in frames in use since counting began: frames
    /// rented before that and returned after make it lower (it can read below zero at first), and a growing value
    /// under a steady load means frames are not being released (leak tracking, <c>SharedTaskDiagnostics.EnableLeakTracking</c>, finds where).
    /// </summary>
    public const string FramesLive = "sharedtask.frames.live";

    /// <summary>
    /// <c>sharedtask.stale_handle.errors</c> (counter, <c>{error}</c>): <see cref="ObjectDisposedException"/>s thrown because a
    /// handle was used after its reference was released (a misuse).
    /// </summary>
    public const string StaleHandleErrors = "sharedtask.stale_handle.errors";

    /// <summary>
    /// <c>sharedtask.singleflight.hits</c> (observable counter, <c>{call}</c>): <see cref="SingleFlight{TKey, TValue}"/> calls that
    /// joined a load already in flight.
    /// </summary>
    public const string SingleFlightHits = "sharedtask.singleflight.hits";

    /// <summary>
    /// <c>sharedtask.singleflight.misses</c> (observable counter, <c>{call}</c>): <see cref="SingleFlight{TKey, TValue}"/> calls
    /// that started a load because none was in flight for their key.
    /// </summary>
    public const string SingleFlightMisses = "sharedtask.singleflight.misses";

    /// <summary>
    /// <c>sharedtask.pool.frames.rented</c> (observable counter, <c>{frame}</c>): frames rented from each
    /// <see cref="SimpleTaskFramePool"/>, one measurement per pool tagged <see cref="PoolTag"/>. Counted from the pool's
    /// creation, whether or not anyone listens.
    /// </summary>
    public const string PoolFramesRented = "sharedtask.pool.frames.rented";

    /// <summary>
    /// <c>sharedtask.pool.frames.live</c> (observable up-down counter, <c>{frame}</c>): frames of each
    /// <see cref="SimpleTaskFramePool"/> rented and not yet returned (<see cref="SimpleTaskFramePool.FramesOutstanding"/>),
    /// tagged <see cref="PoolTag"/>.
    /// </summary>
    public const string PoolFramesLive = "sharedtask.pool.frames.live";

    /// <summary><c>sharedtask.pool</c>: the tag naming the <see cref="SimpleTaskFramePool"/> a measurement describes.</summary>
    public const string PoolTag = "sharedtask.pool";
}
