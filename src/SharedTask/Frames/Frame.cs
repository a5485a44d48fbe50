using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;

namespace SharedTask.Frames;

/// <summary>A frame whose operation produces a <typeparamref name="T"/>: the result and the ways to read it.</summary>
internal abstract class Frame<T> : FrameCore
{
    /// <summary>
    /// The result of a successful use. Written once by the completing thread before completion is published, read
    /// by owners after they observe completion, cleared by recycling when it holds references.
    /// </summary>
    private protected T _result = default!;

    internal bool IsCompletedSuccessfully(uint generation) => IsCompleted(generation) && _exception is null;

    internal bool IsFaulted(uint generation) =>
        IsCompleted(generation) && _exception is { SourceException: not OperationCanceledException };

    internal bool IsCanceled(uint generation) =>
        IsCompleted(generation) && _exception is { SourceException: OperationCanceledException };

    /// <summary>
    /// Reads the outcome and releases the caller's reference (await of a SimpleTask). The release validates the
    /// generation atomically, so a racing misuse throws here instead of returning what it read.
    /// </summary>
    internal T ConsumeResult(uint generation)
    {
        if (!IsCompleted(generation))
        {
            ThrowNotCompletedOrStale(generation);
        }

        ExceptionDispatchInfo? error = _exception;
        T result = _result;
        Release(generation);
        error?.Throw();
        return result;
    }

    /// <summary>Reads the outcome without releasing (await of a PromisePtr, which stays owned).</summary>
    internal T PeekResult(uint generation)
    {
        if (!IsCompleted(generation))
        {
            ThrowNotCompletedOrStale(generation);
        }

        ExceptionDispatchInfo? error = _exception;
        T result = _result;
        RevalidateAfterRead(generation);
        error?.Throw();
        return result;
    }

    /// <summary>
    /// "Not completed" is only the truth if the use is still live: a misused copy racing the recycle can see the
    /// waiter slot already reset, and must get the stale-handle error instead.
    /// </summary>
    [DoesNotReturn]
    private void ThrowNotCompletedOrStale(uint generation)
    {
        ValidateGeneration(generation);
        Throw.NotCompleted();
    }

    /// <summary>Writes the outcome and publishes completion; the caller has exclusive right to complete this use.</summary>
    private protected void CompleteCore(T result, ExceptionDispatchInfo? error)
    {
        _result = result;
        _exception = error;
        PublishCompletion();
    }

    /// <summary>
    /// Completes an async method's use: drops what the body kept (its state machine), publishes the outcome,
    /// resumes the waiters, and then releases the body's reference, last, because that release may recycle the frame.
    /// </summary>
    internal void CompleteBody(T result, ExceptionDispatchInfo? error, uint generation)
    {
        // The builder calling this lives inside the state machine being cleared; the compiler-generated MoveNext
        // reads nothing after SetResult/SetException returns.
        ClearFrameUse();
        CompleteCore(result, error);
        Release(generation);
    }

    private protected override void ClearUse()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            _result = default!;
        }

        ClearFrameUse();
    }

    /// <summary>Clears what the derived frame kept for the finished use.</summary>
    private protected virtual void ClearFrameUse()
    {
    }
}
