using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SharedTask.Diagnostics.LeakTracking;

/// <summary>
/// Leak tracking behind <see cref="SharedTaskDiagnostics.EnableLeakTracking"/>. A frame use that starts while tracking
/// is on gets a <see cref="UseRecord"/> in a weak table keyed by the frame; the record lives exactly as long as the
/// frame does, and its finalizer reports the use if the frame died with that use still holding references.
/// </summary>
/// <remarks>
/// The table (rather than a field on the frame) keeps tracking out of the frame layout: frames pay nothing for it
/// while it is off except the reads of <see cref="IsEnabled"/> and <see cref="HasEverBeenEnabled"/>.
/// </remarks>
internal static class LeakTracker
{
    /// <summary>Serializes Enable and the disposal of its result.</summary>
    private static readonly Lock s_gate = new();

    /// <summary>One record per frame whose current use is tracked. Entries die with their frame.</summary>
    private static readonly ConditionalWeakTable<ITrackedFrame, UseRecord> s_records = new();

    /// <summary>Where reports go; null while tracking is off. Written under <see cref="s_gate"/>.</summary>
    private static volatile Action<FrameLeak>? s_reporter;

    /// <summary>
    /// Read at the start of every frame use (a plain read: a thread that sees the change late only starts tracking a
    /// moment later). Written under <see cref="s_gate"/>.
    /// </summary>
    private static bool s_enabled;

    /// <summary>
    /// Sticky: once tracking was on, the end of every use removes its record (if any), so that records of uses
    /// started while tracking was on do not outlive them. Read at the end of every frame use.
    /// </summary>
    private static bool s_everEnabled;

    internal static bool IsEnabled => s_enabled;

    internal static bool HasEverBeenEnabled => s_everEnabled;

    internal static IDisposable Enable(Action<FrameLeak> reporter)
    {
        lock (s_gate)
        {
            if (s_reporter is not null)
            {
                throw new InvalidOperationException(
                    "Leak tracking is already on; dispose the object EnableLeakTracking returned before enabling it again.");
            }

            s_reporter = reporter;
            s_everEnabled = true;
            s_enabled = true;
            return new Session(reporter);
        }
    }

    /// <summary>A use of <paramref name="frame"/> with generation <paramref name="generation"/> started (FrameCore.Activate).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void OnUseStarted(ITrackedFrame frame, uint generation)
    {
        // Skip this method and Activate: the trace starts at the rent that began the use.
        var record = new UseRecord(frame, generation, new StackTrace(skipFrames: 2, fNeedFileInfo: true));

        // Replaces any record a previous use left (one that started before tracking was last turned off).
        s_records.AddOrUpdate(frame, record);
    }

    /// <summary>The last reference of the frame's current use was released (FrameCore.Recycle).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void OnUseEnded(ITrackedFrame frame)
    {
        if (s_records.TryGetValue(frame, out UseRecord? record))
        {
            s_records.Remove(frame);
            record.Dismiss();
        }
    }

    /// <summary>Called by a record's finalizer when its frame died: reports the use if it still held references.</summary>
    internal static void OnFrameCollected(ITrackedFrame frame, uint generation, StackTrace creationStackTrace)
    {
        if (s_reporter is not { } reporter || FindLeak(frame, generation, creationStackTrace) is not { } leak)
        {
            return;
        }

        // Not on the finalizer thread: a slow or throwing reporter must not stall or kill finalization.
        ThreadPool.QueueUserWorkItem(static state => state.reporter(state.leak), (reporter, leak), preferLocal: false);
    }

    /// <summary>
    /// The leak a dead (or, in tests, live) frame's use of <paramref name="generation"/> amounts to, or null if that use
    /// ended (the generation moved on, or nothing holds it any more).
    /// </summary>
    internal static FrameLeak? FindLeak(ITrackedFrame frame, uint generation, StackTrace creationStackTrace)
    {
        // A dead frame is unreachable but intact: the record kept it readable for this finalizer.
        if (frame.Generation != generation || !frame.IsLive)
        {
            return null;
        }

        return new FrameLeak(frame.Describe(), frame.ResultType, frame.OutstandingHandles, creationStackTrace);
    }

    /// <summary>Tests: whether the frame's current use has a record (started while tracking was on, not yet ended).</summary>
    internal static bool HasRecord(ITrackedFrame frame) => s_records.TryGetValue(frame, out _);

    private static void Disable(Action<FrameLeak> reporter)
    {
        lock (s_gate)
        {
            // Only the session that turned tracking on turns it off (a stale session's second Dispose does nothing).
            if (ReferenceEquals(s_reporter, reporter))
            {
                s_enabled = false;
                s_reporter = null;
            }
        }
    }

    /// <summary>What EnableLeakTracking returns: disposing it turns tracking off.</summary>
    private sealed class Session(Action<FrameLeak> reporter) : IDisposable
    {
        private Action<FrameLeak>? _reporter = reporter;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _reporter, null) is { } owned)
            {
                Disable(owned);
            }
        }
    }
}
