using System.Runtime.ExceptionServices;
using SharedTask.Pooling;

namespace SharedTask.Frames;

/// <summary>
/// A frame completed from outside an async method: by a <see cref="SimpleTaskCompletionSource{T}"/> (the producer
/// holds a reference until it disposes) or by <see cref="SimpleTask.FromException{T}(Exception)"/>.
/// </summary>
internal sealed class SourceFrame<T> : Frame<T>, IPooledItem<SourceFrame<T>>
{
    static SourceFrame<T> IPooledItem<SourceFrame<T>>.CreateForPool() => new();

    /// <summary>Rents a frame whose one reference belongs to a producer that will complete it.</summary>
    internal static SourceFrame<T> RentForProducer(out uint generation)
    {
        SourceFrame<T> frame = Pool<SourceFrame<T>>.Rent();
        generation = frame.Activate(references: 1);
        return frame;
    }

    /// <summary>Rents a frame already completed with <paramref name="error"/>; its one reference is the caller's.</summary>
    internal static SourceFrame<T> RentFaulted(ExceptionDispatchInfo error, out uint generation)
    {
        SourceFrame<T> frame = Pool<SourceFrame<T>>.Rent();
        generation = frame.Activate(references: 1);
        frame.CompleteCore(default!, error);
        return frame;
    }

    /// <summary>Completes this use if nobody did yet; false if it was completed, disposed or is stale.</summary>
    internal bool TryComplete(uint generation, T result, ExceptionDispatchInfo? error)
    {
        if (!TryClaimCompletion(generation))
        {
            return false;
        }

        CompleteCore(result, error);

        // The reference the claim took for this completion: the last touch of the frame by this call.
        Release(generation);
        return true;
    }

    /// <summary>Adds a consumer's reference while the producer holds its own; false once the producer disposed.</summary>
    internal bool TryAddConsumer(uint generation) => TryAddReferenceForProducer(generation);

    internal bool IsCompletionStarted(uint generation) => IsCompletionClaimed(generation);

    internal bool IsDisposed(uint generation) => IsProducerReleased(generation);

    /// <summary>Drops the producer's reference once; further calls are no-ops.</summary>
    internal bool ReleaseProducer(uint generation) => TryReleaseProducer(generation);

    private protected override void ReturnToPool() => Pool<SourceFrame<T>>.Return(this);

    /// <summary>A frame is never run as a continuation itself.</summary>
    internal override void Run() => throw new InvalidOperationException("A completion source's frame is not a continuation.");
}
