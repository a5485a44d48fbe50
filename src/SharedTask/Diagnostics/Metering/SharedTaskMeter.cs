using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace SharedTask.Diagnostics.Metering;

/// <summary>
/// The "SharedTask" meter, its instruments, and the hooks the library calls. Every hook tests whether the instruments
/// it feeds are enabled and returns at once when they are not, so a process nobody monitors pays a few reads of
/// static fields and nothing else. The names and meanings are documented on <see cref="SharedTaskMetrics"/>.
/// </summary>
internal static class SharedTaskMeter
{
    private static readonly Meter s_meter = new(
        SharedTaskMetrics.MeterName, typeof(SharedTaskMeter).Assembly.GetName().Version?.ToString());

    /// <summary>The SharedTask meter, for instruments defined beside what they measure (scoped pools').</summary>
    internal static Meter Meter => s_meter;

    // Counts behind the observable instruments: incremented by the hooks only while an instrument they feed is
    // enabled, read when a listener collects.
    private static readonly StripedCounter s_created = new();
    private static readonly StripedCounter s_rented = new();
    private static readonly StripedCounter s_returned = new();
    private static readonly StripedCounter s_hits = new();
    private static readonly StripedCounter s_misses = new();

    private static readonly ObservableCounter<long> s_createdInstrument = s_meter.CreateObservableCounter(
        SharedTaskMetrics.FramesCreated, static () => s_created.Read(), "{frame}",
        "Frames constructed because their pool had none idle.");

    private static readonly ObservableCounter<long> s_rentedInstrument = s_meter.CreateObservableCounter(
        SharedTaskMetrics.FramesRented, static () => s_rented.Read(), "{frame}",
        "Frames taken from a pool for a new use.");

    private static readonly ObservableCounter<long> s_returnedInstrument = s_meter.CreateObservableCounter(
        SharedTaskMetrics.FramesReturned, static () => s_returned.Read(), "{frame}",
        "Frames given back to their pool after the last reference of a use was released.");

    private static readonly ObservableUpDownCounter<long> s_liveInstrument = s_meter.CreateObservableUpDownCounter(
        SharedTaskMetrics.FramesLive, static () => s_rented.Read() - s_returned.Read(), "{frame}",
        "Frames rented minus frames returned since counting began.");

    private static readonly Counter<long> s_staleHandleErrors = s_meter.CreateCounter<long>(
        SharedTaskMetrics.StaleHandleErrors, "{error}",
        "Handles used after their reference was released (ObjectDisposedException).");

    private static readonly ObservableCounter<long> s_hitsInstrument = s_meter.CreateObservableCounter(
        SharedTaskMetrics.SingleFlightHits, static () => s_hits.Read(), "{call}",
        "SingleFlight calls that joined a load already in flight.");

    private static readonly ObservableCounter<long> s_missesInstrument = s_meter.CreateObservableCounter(
        SharedTaskMetrics.SingleFlightMisses, static () => s_misses.Read(), "{call}",
        "SingleFlight calls that started a load.");

    /// <summary>A pool constructed a frame (its pool was empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void OnFrameCreated()
    {
        if (s_createdInstrument.Enabled)
        {
            s_created.Increment();
        }
    }

    /// <summary>A frame was taken from its pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void OnFrameRented()
    {
        // "live" is rented minus returned, so its being enabled keeps both counts.
        if (s_rentedInstrument.Enabled || s_liveInstrument.Enabled)
        {
            s_rented.Increment();
        }
    }

    /// <summary>A frame went back to its pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void OnFrameReturned()
    {
        if (s_returnedInstrument.Enabled || s_liveInstrument.Enabled)
        {
            s_returned.Increment();
        }
    }

    /// <summary>A stale handle was used; called on the throwing path only, so a plain counter is cheap enough.</summary>
    internal static void OnStaleHandle() => s_staleHandleErrors.Add(1);

    /// <summary>A SingleFlight call joined a load in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void OnSingleFlightHit()
    {
        if (s_hitsInstrument.Enabled)
        {
            s_hits.Increment();
        }
    }

    /// <summary>A SingleFlight call started a load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void OnSingleFlightMiss()
    {
        if (s_missesInstrument.Enabled)
        {
            s_misses.Increment();
        }
    }
}
