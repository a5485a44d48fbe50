using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace SharedTask.Frames;

/// <summary>A frame whose operation produces a <typeparamref name="T"/>: the result and the ways to read it.</summary>
internal abstract class Frame<T> : FrameCore
{
    /// <summary>
    /// The result of a successful use. Written once by the completer before completion is published, read by owners
    /// after they observe completion, cleared when the use ends if it holds references.
    /// </summary>
    private T _result = default!;

    internal override Type ResultType => typeof(T) == typeof(VoidResult) ? typeof(void) : typeof(T);

    internal bool IsCompletedSuccessfully(HandleToken handle) => IsCompleted(handle) && PublishedException is null;

    internal bool IsFaulted(HandleToken handle) => IsCompleted(handle) && PublishedException is { } error && !IsCancellation(error);

    internal bool IsCanceled(HandleToken handle) => IsCompleted(handle) && PublishedException is { } error && IsCancellation(error);

    /// <summary>A single <see cref="OperationCanceledException"/> cancels; several exceptions fault, whatever they are (as with Task).</summary>
    private bool IsCancellation(ExceptionDispatchInfo error) =>
        error.SourceException is OperationCanceledException && PublishedFaults is null;

    /// <summary>
    /// Reads the outcome and releases the reference of <paramref name="handle"/> (the await of a SimpleTask). The release
    /// checks the handle in the same atomic step, so a racing misuse throws here instead of returning what it read.
    /// </summary>
    internal T Consume(HandleToken handle)
    {
        ExceptionDispatchInfo? error = ConsumeOutcome(handle, out T result, out _);
        error?.Throw();
        return result;
    }

    /// <summary>
    /// <see cref="Consume"/> without throwing the outcome: returns the exception (null on success), and every exception in
    /// <paramref name="faults"/> when the use faulted with several. Throws only for a misused handle.
    /// </summary>
    internal ExceptionDispatchInfo? ConsumeOutcome(HandleToken handle, out T result, out Exception[]? faults)
    {
        if (!IsCompleted(handle))
        {
            ThrowNotCompleted(handle);
        }

        ExceptionDispatchInfo? error = PublishedException;
        faults = error is null ? null : PublishedFaults;
        result = _result;
        if (handle.IsPrimary)
        {
            ReleasePrimary(handle.Stamp, consuming: true);
        }
        else
        {
            Release(handle);
        }

        return error;
    }

    /// <summary>Reads the outcome without releasing (the await of a PromisePtr, which stays owned).</summary>
    internal T Peek(HandleToken handle)
    {
        if (!IsCompleted(handle))
        {
            ThrowNotCompleted(handle);
        }

        ExceptionDispatchInfo? error = PublishedException;
        T result = _result;
        RevalidateAfterRead(handle);
        error?.Throw();
        return result;
    }

    /// <summary>
    /// Writes the outcome and publishes it, releasing <paramref name="pin"/> (0 keeps every pin); the caller has the
    /// exclusive right to complete this use.
    /// </summary>
    private protected void Complete(T result, ExceptionDispatchInfo? error, long pin, Exception[]? faults = null, bool resumeAsynchronously = false)
    {
        _result = result;
        if (error is not null)
        {
            FrameAnnex annex = Annex;
            annex.Exception = error;
            annex.Faults = faults;
        }

        Publish(pin, resumeAsynchronously);
    }

    /// <summary>
    /// Completes the use of <paramref name="generation"/> on behalf of an async method builder; false if this frame
    /// cannot (already completed, or not a builder's frame).
    /// </summary>
    internal virtual bool TryCompleteAsBuilder(uint generation, T result, ExceptionDispatchInfo? error) => false;

    /// <summary>The published result, for a completer that also delivers it elsewhere (SingleFlight callers).</summary>
    private protected T PublishedResult => _result;

    private protected override void ResetForNextUse()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            _result = default!;
        }
    }
}
