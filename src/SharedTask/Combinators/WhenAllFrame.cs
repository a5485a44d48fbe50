using System.Runtime.ExceptionServices;
using SharedTask.Frames;

namespace SharedTask.Combinators;

/// <summary>
/// The frame of a <c>SimpleTask.WhenAll</c>: completes when every input has completed, with every result or, as
/// <see cref="Task.WhenAll(Task[])"/> does, with the inputs' exceptions (see <see cref="InputFaults"/>).
/// </summary>
/// <remarks>
/// It never decides early, so it never detaches a node, and its decider is simply the last delivery: the one whose
/// party brings the count to zero publishes the outcome and releases the owner pin in one step, with no claim.
/// </remarks>
internal abstract class WhenAllFrame<TResult> : CombinatorFrame<TResult>
{
    /// <summary>The inputs' exceptions by position; the array is kept across uses.</summary>
    private InputFaults _faults;

    private protected sealed override bool DetachesInputs => false;

    /// <summary>Starts a use over <paramref name="inputCount"/> inputs (at least one); returns the caller's handle generation.</summary>
    private protected uint BeginAll(int inputCount)
    {
        _faults.Prepare(inputCount);
        return BeginUse(inputCount, registrations: 0);
    }

    /// <summary>Stores the result of a node whose input succeeded (a node of the input type at its position).</summary>
    private protected abstract void StoreResult(InputWaiter input);

    /// <summary>The result once every input succeeded.</summary>
    private protected abstract TResult BuildResult();

    private protected sealed override void Deliver(InputWaiter input)
    {
        if (input.Error is { } error)
        {
            _faults.Record(input.Index, error);
        }
        else
        {
            StoreResult(input);
        }

        if (LeaveAsLastParty())
        {
            // Every input delivered (each before its own decrement), so every slot is written and visible here.
            ExceptionDispatchInfo? outcome = _faults.Outcome(InputCount);
            Complete(outcome is null ? BuildResult() : default!, outcome, FrameState.OwnerPin);
        }
    }

    private protected override void ResetForNextUse()
    {
        _faults.Clear(InputCount);
        base.ResetForNextUse();
    }
}
