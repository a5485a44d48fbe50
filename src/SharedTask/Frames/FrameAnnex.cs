using System.Runtime.ExceptionServices;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// The part of a frame that only some uses need: the exception of a faulted use, the seats of handles beyond the
/// primary one, and the list of waiters registered through those handles. Created the first time a frame needs it and
/// kept with the frame across uses (pooled with it), so the common frame (one handle, one awaiter, a result) stays small
/// and the steady state allocates nothing.
/// </summary>
internal sealed class FrameAnnex
{
    /// <summary>
    /// The exception of a faulted or canceled use. Written once by the completer before completion is published, read
    /// by owners only after they observe completion, cleared when the use ends.
    /// </summary>
    internal ExceptionDispatchInfo? Exception;

    /// <summary>
    /// Every exception of a use faulted with several (<c>SetException(IEnumerable&lt;Exception&gt;)</c>); null otherwise.
    /// <see cref="Exception"/> holds the first, the one an await throws. Written, read and cleared as that field is.
    /// </summary>
    internal Exception[]? Faults;

    /// <summary>
    /// Head of a LIFO list of waiters linked through <see cref="Waiter.Next"/>: continuations of awaits of seat handles
    /// and of non-consuming (PromisePtr) awaits. Pushed by compare-exchange after the registrant counted itself in the
    /// state word; taken whole by exchange after completion was published (by the completer, or by a late registrant
    /// that finds the use completed). Empty whenever no use is live.
    /// </summary>
    internal Waiter? ListHead;

    /// <summary>
    /// The scoped pool this frame belongs to, or null for the global pool of its type. Set once, when a scoped pool
    /// creates the frame; the frame goes back there at the end of every use.
    /// </summary>
    internal Pooling.IPoolHome? Home;

    /// <summary>The seats (references beyond the primary one); entries change only by compare-exchange.</summary>
    internal SeatTable Seats = SeatTable.Create();
}
