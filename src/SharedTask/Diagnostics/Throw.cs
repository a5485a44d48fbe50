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
    internal static void StaleHandle(ITrackedFrame frame)
    {
        Metering.SharedTaskMeter.OnStaleHandle();
        throw new ObjectDisposedException(
            frame.Describe(),
            "This handle's reference was already released and its frame went back to the pool (or is being reused). " +
            "A SimpleTask is consumed by one await, AsTask, AsValueTask or Dispose; use Share() or PromisePtr<T>.Copy() " +
            "for every additional owner.");
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void TooManyReferences(int maximum) =>
        throw new OverflowException(
            $"A SimpleTask operation already has {maximum} counted references; one more would overflow the count.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void AlreadyAwaited(ITrackedFrame frame) =>
        throw new InvalidOperationException(
            $"This handle ({frame.Describe()}) is already being awaited elsewhere: a SimpleTask is consumed by one await, " +
            "AsTask, AsValueTask or Dispose. A plain struct copy is the same handle; use Share() for every additional awaiter.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void BuilderAlreadyCompleted() =>
        throw new InvalidOperationException("The async method builder was already completed; SetResult or SetException may be called once.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void NotCompleted() =>
        throw new InvalidOperationException(
            "The SimpleTask has not completed yet, and like a pooled ValueTask it cannot be waited on synchronously. Await it; "
            + "to block, block on a Task: AsTask().GetAwaiter().GetResult(). The handle was not consumed.");

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

}
