using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// A frame completed from outside an async method: by a <see cref="SimpleTaskCompletionSource{T}"/> (whose producer
/// holds the owner pin until it disposes) or by <see cref="SimpleTask.FromException{T}(Exception)"/>.
/// </summary>
/// <remarks>
/// A completer (TrySet) is not the owner: it claims completion and holds the completer pin while it writes, so the
/// producer may dispose on another thread meanwhile without the use ending under the write. The claim takes no
/// reference, so completing never fails for a full count.
/// </remarks>
internal sealed class SourceFrame<T> : Frame<T>, IPooledItem<SourceFrame<T>>
{
    static SourceFrame<T> IPooledItem<SourceFrame<T>>.CreateForPool() => new();

    static bool IPooledItem<SourceFrame<T>>.IsFrame => true;

    /// <summary>
    /// For a builder whose task was read before its first suspension: the boxed state machine that completes this
    /// promise. Set at that suspension, cleared when the use ends.
    /// </summary>
    private Waiter? _builderMethod;

    /// <summary>Whether this use's completion sends every waiter away (RunContinuationsAsynchronously); set at rent.</summary>
    private bool _resumesAsynchronously;

    /// <summary>
    /// Rents a frame whose use is held by a producer that will complete it; returns the use's generation. With
    /// <paramref name="resumeAsynchronously"/>, completion runs no waiter on the completing thread.
    /// </summary>
    internal static SourceFrame<T> RentForProducer(bool resumeAsynchronously, out uint generation)
    {
        SourceFrame<T> frame = Pool<SourceFrame<T>>.Rent();
        frame._resumesAsynchronously = resumeAsynchronously;
        generation = frame.Activate(FrameState.OwnerPin);
        return frame;
    }

    /// <summary>
    /// Rents a frame for a builder's task read before the method completed: the builder is the producer, and the task
    /// handle it returns is the primary reference.
    /// </summary>
    internal static SourceFrame<T> RentPromise(out uint generation)
    {
        SourceFrame<T> frame = Pool<SourceFrame<T>>.Rent();
        generation = frame.Activate(FrameState.OwnerPin | FrameState.PrimaryPin);
        return frame;
    }

    /// <summary>Rents a frame already completed with <paramref name="error"/>; its primary reference is the caller's.</summary>
    internal static SourceFrame<T> RentFaulted(ExceptionDispatchInfo error, out HandleToken handle)
    {
        SourceFrame<T> frame = Pool<SourceFrame<T>>.Rent();
        uint generation = frame.Activate(FrameState.OwnerPin | FrameState.PrimaryPin);
        frame.Complete(default!, error, FrameState.OwnerPin);
        handle = HandleToken.Primary(generation);
        return frame;
    }

    /// <summary>Completes this use if nobody did yet and the producer has not disposed; false otherwise (or if stale).</summary>
    internal bool TryComplete(uint generation, T result, ExceptionDispatchInfo? error, Exception[]? faults = null)
    {
        if (!TryClaimCompletion(generation, FrameState.CompleterPin))
        {
            return false;
        }

        // Writing, publishing and releasing the completer's pin are one protected step: a continuation that throws runs
        // after the pin is released (see Publish), so no reference is ever left behind.
        Complete(result, error, FrameState.CompleterPin, faults, _resumesAsynchronously);
        return true;
    }

    /// <summary>The builder of a promise completes it: claims, publishes, and releases the builder's (producer's) pin.</summary>
    internal override bool TryCompleteAsBuilder(uint generation, T result, ExceptionDispatchInfo? error)
    {
        if (!TryComplete(generation, result, error))
        {
            return false;
        }

        TryReleaseProducer(generation);
        return true;
    }

    /// <summary>The builder's method suspends while its task is this promise: its state machine is boxed once, here.</summary>
    internal Waiter SuspendBuilderMethod<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : System.Runtime.CompilerServices.IAsyncStateMachine
    {
        if (_builderMethod is not BoxedStateMachine<TStateMachine> boxed)
        {
            boxed = new BoxedStateMachine<TStateMachine>(stateMachine);
            _builderMethod = boxed;
        }

        boxed.CaptureExecutionContext();
        return boxed;
    }

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        _builderMethod = null;
        _resumesAsynchronously = false;
    }

    /// <summary>A consumer's handle while the producer holds its pin; false once it disposed (or if stale).</summary>
    internal bool TryAddConsumer(uint generation, out HandleToken handle) =>
        TryAddReference(generation, FrameState.OwnerPin, out handle);

    internal bool IsCompletionStarted(uint generation) => IsCompletionClaimed(generation);

    internal bool IsDisposed(uint generation) => IsPinReleased(generation, FrameState.OwnerPin);

    /// <summary>Releases the producer's pin once; false if it was already released (a second Dispose) or is stale.</summary>
    internal bool TryReleaseProducer(uint generation) => TryReleasePin(generation, FrameState.OwnerPin);

    private protected override void ReturnToPool() => Pool<SourceFrame<T>>.Return(this);

    /// <summary>A frame is never run as a continuation itself.</summary>
    internal override void Run() => throw new InvalidOperationException("A completion source's frame is not a continuation.");

    internal override string Describe() => $"{DisplayNames.Result<T>()} of a SimpleTaskCompletionSource (or SimpleTask.FromException)";
}
