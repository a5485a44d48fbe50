using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Reads a frame's private fields without going through the library (and so without reporting scheduling points):
/// the shadow model inspects frames from inside the seam, where a scheduling point would re-enter the scheduler.
/// </summary>
internal static class FrameInspector
{
    internal static long State(FrameCore frame) => Volatile.Read(ref StateField(frame));

    internal static int Count(FrameCore frame) => FrameState.Count(State(frame));

    internal static uint Generation(FrameCore frame) => FrameState.Generation(State(frame));

    /// <summary>Whatever a waiter slot of the frame holds: the primary waiter, else the head of the waiter list, else null.</summary>
    internal static object? Waiters(FrameCore frame) =>
        Volatile.Read(ref PrimaryWaiterField(frame)) ?? (AnnexField(frame) is { } annex ? Volatile.Read(ref annex.ListHead) : null);

    internal static ExceptionDispatchInfo? Exception(FrameCore frame) => AnnexField(frame)?.Exception;

    /// <summary>How many seats of the frame are live (none may be once a use has ended and every thread is done).</summary>
    internal static int LiveSeats(FrameCore frame) => AnnexField(frame) is { } annex ? annex.Seats.CountLive() : 0;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_state")]
    private static extern ref long StateField(FrameCore frame);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_primaryWaiter")]
    private static extern ref Waiter? PrimaryWaiterField(FrameCore frame);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_annex")]
    private static extern ref FrameAnnex? AnnexField(FrameCore frame);
}
