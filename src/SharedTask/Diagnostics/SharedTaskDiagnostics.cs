using SharedTask.Diagnostics.LeakTracking;

namespace SharedTask;

/// <summary>
/// Opt-in diagnostics for finding handles that are never released. Metrics live on the meter named by
/// <see cref="SharedTaskMetrics"/>.
/// </summary>
public static class SharedTaskDiagnostics
{
    /// <summary>Whether leak tracking is on.</summary>
    public static bool IsLeakTrackingEnabled => LeakTracker.IsEnabled;

    /// <summary>
    /// Turns leak tracking on until the returned object is disposed: every frame use started from now on records the
    /// stack that started it, and a frame that is garbage-collected while references to that use are still
    /// outstanding is reported to <paramref name="reporter"/>.
    /// </summary>
    /// <param name="reporter">
    /// Receives each leak, on a thread-pool thread, some time after the garbage collection that found it. It should
    /// log and return; an exception it throws is an unhandled exception like any other on the thread pool.
    /// </param>
    /// <returns>An object whose <see cref="IDisposable.Dispose"/> turns tracking off again (no more reports).</returns>
    /// <remarks>
    /// <para>This is a debugging aid with a real cost while on: each frame use captures a stack trace (tens of
    /// microseconds) and an entry in a weak table. Off, it costs one read of a static field per frame use.</para>
    /// <para>A leak is found only when the garbage collector reclaims the frame: a handle that is still reachable
    /// (stored in a field, say) is not a leak in this sense. Call <see cref="GC.Collect()"/> and
    /// <see cref="GC.WaitForPendingFinalizers"/> to look for leaks at a point of your choosing, for example at the end
    /// of a test run.</para>
    /// <para>Only uses started while tracking is on are tracked.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="reporter"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Leak tracking is already on.</exception>
    public static IDisposable EnableLeakTracking(Action<FrameLeak> reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        return LeakTracker.Enable(reporter);
    }
}
