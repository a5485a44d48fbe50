using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SharedTask.Diagnostics;

/// <summary>
/// The library's misuse errors, one method each, kept out of line so that the hot paths that check for them stay
/// small enough to inline.
/// </summary>
internal static class Throw
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void StaleHandle(object frame)
    {
        Metering.SharedTaskMeter.OnStaleHandle();
        throw new ObjectDisposedException(
            DescribeFrame(frame),
            "This handle's reference was already released and its frame went back to the pool (or is being reused). " +
            "A SimpleTask is consumed by one await, AsTask, AsValueTask or Dispose; use Share() or PromisePtr<T>.Copy() " +
            "for every additional owner.");
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void TooManyReferences() =>
        throw new OverflowException(
            $"A SimpleTask frame already has {Frames.FrameState.MaxCount} references; one more would overflow the count.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void NotCompleted() =>
        throw new InvalidOperationException(
            "The SimpleTask has not completed yet. Await it (or call AsTask()) instead of reading its result directly.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void NullPromisePtr() =>
        throw new InvalidOperationException(
            "This PromisePtr is null: it was default-initialized, disposed, or moved out with ToSimpleTask().");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void SourceAlreadyCompleted() =>
        throw new InvalidOperationException("The SimpleTaskCompletionSource was already completed.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void SourceNotInitialized() =>
        throw new InvalidOperationException(
            "The SimpleTaskCompletionSource is default-initialized; create one with 'new SimpleTaskCompletionSource<T>()'.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void SourceDisposed() =>
        throw new ObjectDisposedException(
            "SimpleTaskCompletionSource",
            "The SimpleTaskCompletionSource was disposed; its frame may already serve another operation.");

    private static string DescribeFrame(object frame)
    {
        Type type = frame.GetType();
        Type resultType = type.IsGenericType ? type.GetGenericArguments()[^1] : typeof(void);
        return resultType == typeof(Frames.VoidResult) ? "SimpleTask" : $"SimpleTask<{resultType.Name}>";
    }
}
