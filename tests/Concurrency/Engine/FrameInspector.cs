using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;

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

    internal static object? Waiters(FrameCore frame) => Volatile.Read(ref WaitersField(frame));

    internal static ExceptionDispatchInfo? Exception(FrameCore frame) => ExceptionField(frame);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_state")]
    private static extern ref long StateField(FrameCore frame);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_waiters")]
    private static extern ref object? WaitersField(FrameCore frame);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_exception")]
    private static extern ref ExceptionDispatchInfo? ExceptionField(FrameCore frame);
}
