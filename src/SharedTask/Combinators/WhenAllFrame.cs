using System.Runtime.ExceptionServices;
using SharedTask.Scheduling;

namespace SharedTask.Combinators;

/// <summary>
/// The frame of a <c>SimpleTask.WhenAll</c>: completes when every input has completed, with every result or, as
/// <see cref="Task.WhenAll(Task[])"/> does, with the inputs' exceptions (see <see cref="InputFaults"/>). It never
/// decides early, so it never detaches a node.
/// </summary>
internal abstract class WhenAllFrame<TResult> : CombinatorFrame<TResult>
{
    /// <summary>Inputs not delivered yet: set by the setup, counted down once per delivery; the one that reaches zero decides.</summary>
    private int _remaining;

    /// <summary>The inputs' exceptions by position; the array is kept across uses.</summary>
    private InputFaults _faults;

    /// <summary>Starts a use over <paramref name="inputCount"/> inputs (at least one); returns the caller's handle generation.</summary>
    private protected uint BeginAll(int inputCount)
    {
        _remaining = inputCount;
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

        // A full fence: this input's writes above are visible to whichever delivery reaches zero.
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        if (Interlocked.Decrement(ref _remaining) == 0 && TryDecide())
        {
            ExceptionDispatchInfo? outcome = _faults.Outcome(InputCount);
            CompleteDecided(outcome is null ? BuildResult() : default!, outcome);
        }
    }

    private protected override void ResetForNextUse()
    {
        _faults.Clear(InputCount);
        base.ResetForNextUse();
    }
}
