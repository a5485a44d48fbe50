using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask.Combinators;

/// <summary>
/// The frame of an operation that waits for other operations (its <em>inputs</em>, whose handles it consumes): WhenAll,
/// WhenAny and WaitAsync. Each input has an <see cref="InputWaiter"/> node in its waiter list; the subclass decides the
/// outcome from the deliveries (and, for WaitAsync, from a token or a timeout).
/// </summary>
/// <remarks>
/// <para>Holders of a use: the handle returned to the caller (the primary pin), and the <em>parties</em> that may still
/// call into this frame (the owner pin, released when the last party leaves): every node that is still wanted, every
/// live token registration, and the setup itself. The outcome is always decided by a party before it leaves, so the
/// owner pin, as everywhere, goes only after completion.</para>
/// <para>Deciding is claiming completion (<see cref="FrameCore"/>'s completion claim: exactly one decider per use).
/// The decider then withdraws interest in everything else (detaches the nodes it no longer needs, unregisters tokens),
/// so the use can end as soon as the caller has consumed the outcome, however long the other inputs still run. When the
/// decision comes while the setup is still registering, that withdrawal is left to the setup's end: the
/// <see cref="_phase"/> handshake makes exactly one of them do it, after both happened.</para>
/// </remarks>
internal abstract class CombinatorFrame<TResult> : Frame<TResult>, ICombinator
{
    /// <summary>The setup finished registering (every node and registration of the use exists).</summary>
    private const int SetupDone = 1;

    /// <summary>A party claimed completion.</summary>
    private const int Decided = 2;

    /// <summary>
    /// The nodes of the current use in slots [0, <see cref="_inputCount"/>), written by the setup before any is
    /// registered; the array is kept across uses (grown when a use needs more), its slots cleared when a use ends.
    /// </summary>
    private InputWaiter?[] _inputs = [];

    /// <summary>How many inputs the current use has; set by the setup.</summary>
    private int _inputCount;

    /// <summary>
    /// Parties still able to call into this use (see the remarks). Set by the setup before anything is registered;
    /// decremented once per party by interlocked operations; the one that reaches zero releases the owner pin.
    /// </summary>
    private int _parties;

    /// <summary><see cref="SetupDone"/> and <see cref="Decided"/>, each set once per use by an interlocked OR.</summary>
    private int _phase;

    /// <summary>The generation of the current use (the one the caller's handle carries). Set by the setup.</summary>
    private uint _useGeneration;

    /// <summary>How many inputs the current use has.</summary>
    private protected int InputCount => _inputCount;

    /// <summary>
    /// Starts a use with <paramref name="inputCount"/> inputs and <paramref name="registrations"/> token registrations
    /// to come, held by the handle the caller gets and by the setup; returns that handle's generation.
    /// </summary>
    private protected uint BeginUse(int inputCount, int registrations)
    {
        if (_inputs.Length < inputCount)
        {
            _inputs = new InputWaiter?[inputCount];
        }

        _inputCount = inputCount;
        _parties = inputCount + registrations + 1;
        _phase = 0;

        // Activate publishes the writes above with the state word; the nodes and registrations that follow reach other
        // threads only through their own publication, which comes after.
        _useGeneration = Activate(FrameState.OwnerPin | FrameState.PrimaryPin);
        return _useGeneration;
    }

    /// <summary>Gives input <paramref name="index"/> of the current use to a node (the node owns its handle now).</summary>
    private protected void AddInput<T>(int index, SimpleTask<T> input) => _inputs[index] = InputWaiter<T>.Rent(input, this, index);

    /// <summary>
    /// Registers every node on its input, in input order (an input that already completed delivers here and now). Every
    /// node exists before the first registration, so a decision at any point can withdraw from all of them.
    /// </summary>
    private protected void RegisterInputs()
    {
        for (int i = 0; i < _inputCount; i++)
        {
            _inputs[i]!.Register();
        }
    }

    /// <summary>The setup's last step: withdraws interest if a decision came meanwhile, then lets go of the use.</summary>
    private protected void EndSetup()
    {
        if ((SetPhase(SetupDone) & Decided) != 0)
        {
            WithdrawInterest();
        }

        LeaveParty();
    }

    /// <summary>Claims the right to decide this use's outcome; false if another party decided first.</summary>
    private protected bool TryDecide() => TryClaimCompletion(_useGeneration, FrameState.CompleterPin);

    /// <summary>
    /// The decider publishes the outcome: it first withdraws interest in everything else (or leaves that to the setup,
    /// if the setup is still registering), then completes, which resumes this frame's awaiters.
    /// </summary>
    private protected void CompleteDecided(TResult result, ExceptionDispatchInfo? error)
    {
        if ((SetPhase(Decided) & SetupDone) != 0)
        {
            WithdrawInterest();
        }

        Complete(result, error, FrameState.CompleterPin);
    }

    /// <summary>Reads and stores a node's delivery; may decide. Called only by <see cref="ICombinator.OnInputCompleted"/>.</summary>
    private protected abstract void Deliver(InputWaiter input);

    /// <summary>
    /// Withdraws from whatever may still call into this use after the decision: detaches every node still wanted (an
    /// override also unregisters its tokens). Runs once per decided use, after the setup and the decision.
    /// </summary>
    private protected virtual void WithdrawInterest()
    {
        for (int i = 0; i < _inputCount; i++)
        {
            if (_inputs[i]!.TryDetach())
            {
                LeaveParty(); // the node will only release its input now; it never calls back
            }
        }
    }

    /// <summary>One party (a delivering node, a registration's callback, the setup) is done with this use.</summary>
    private protected void LeaveParty()
    {
        // Release: the party's writes (a delivered result, a recorded fault) happen-before the owner pin goes, and the
        // thread that ends the use acquires through the state word. A full fence in .NET.
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        if (Interlocked.Decrement(ref _parties) == 0)
        {
            ReleasePin(FrameState.OwnerPin);
        }
    }

    /// <summary>A combinator's frame is never a continuation itself: its input nodes are.</summary>
    internal sealed override void Run() => throw new InvalidOperationException("A combinator's frame is not a continuation.");

    void ICombinator.OnInputCompleted(InputWaiter input)
    {
        try
        {
            Deliver(input);
        }
        finally
        {
            LeaveParty();
        }
    }

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        for (int i = 0; i < _inputCount; i++)
        {
            // The node may still wait for its input (detached): it goes back to its pool when it has released it.
            _inputs[i]?.ReleaseByCombinator();
            _inputs[i] = null;
        }

        _inputCount = 0;
    }

    private int SetPhase(int flag)
    {
        // The setup's end and the decision each set their flag and read the other's in one atomic step, so exactly one
        // of them (the second) finds the other's flag already set: that one withdraws, after both happened.
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        return Interlocked.Or(ref _phase, flag);
    }
}
