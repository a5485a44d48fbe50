using SharedTask.Frames;

namespace SharedTask.Combinators;

/// <summary>
/// The frame of a <c>SimpleTask.WhenAny</c>: the first input to complete decides, with its position and its outcome
/// (its result, or its exception). The others are detached: each releases its input's handle when that input completes
/// and its outcome is dropped, while this frame can already go back to its pool.
/// </summary>
internal abstract class WhenAnyFrame<TResult> : CombinatorFrame<TResult>
{
    /// <summary>The outcome when <paramref name="winner"/>, the first input to complete, succeeded.</summary>
    private protected abstract TResult ResultOf(InputWaiter winner);

    private protected sealed override void Deliver(InputWaiter input)
    {
        try
        {
            if (TryDecide())
            {
                // Detached before completing: a continuation that throws from Complete cannot leave a node attached.
                DetachInputs();
                Complete(input.Error is null ? ResultOf(input) : default!, input.Error, FrameState.CompleterPin);
            }

            // Otherwise another input won: this one's outcome is dropped (the node has released its handle).
        }
        finally
        {
            LeaveParty();
        }
    }
}
