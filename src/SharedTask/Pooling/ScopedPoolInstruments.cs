using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using SharedTask.Diagnostics.Metering;

namespace SharedTask.Pooling;

/// <summary>
/// The SharedTask meter's per-pool instruments: one measurement per <see cref="SimpleTaskFramePool"/> still reachable,
/// tagged with its name. The pools keep their own counts, so these cost nothing until a listener collects.
/// </summary>
internal static class ScopedPoolInstruments
{
    /// <summary>Every scoped pool not yet collected (held weakly).</summary>
    private static readonly ConditionalWeakTable<SimpleTaskFramePool, object?> s_pools = new();

    /// <summary>Creates the instruments on the SharedTask meter, which keeps them; runs before the first pool registers.</summary>
    static ScopedPoolInstruments()
    {
        SharedTaskMeter.Meter.CreateObservableCounter(
            SharedTaskMetrics.PoolFramesRented, static () => Measure(static pool => pool.FramesRented), "{frame}",
            "Frames rented from each scoped pool.");
        SharedTaskMeter.Meter.CreateObservableUpDownCounter(
            SharedTaskMetrics.PoolFramesLive, static () => Measure(static pool => pool.FramesOutstanding), "{frame}",
            "Frames of each scoped pool rented and not yet returned.");
    }

    /// <summary>Adds <paramref name="pool"/> to the measurements.</summary>
    internal static void Register(SimpleTaskFramePool pool) => s_pools.Add(pool, null);

    private static List<Measurement<long>> Measure(Func<SimpleTaskFramePool, long> read)
    {
        List<Measurement<long>> measurements = [];
        foreach (KeyValuePair<SimpleTaskFramePool, object?> entry in s_pools)
        {
            measurements.Add(new Measurement<long>(
                read(entry.Key), new KeyValuePair<string, object?>(SharedTaskMetrics.PoolTag, entry.Key.Name)));
        }

        return measurements;
    }
}
