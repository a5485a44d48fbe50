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
/// call into this frame (the owner pin, released by the last party to leave): every node that is still wanted and every
/// live token registration. The outcome is always published by a party before it leaves, so the owner pin, as
/// everywhere, goes only after completion. The setup is no party: it holds the caller's handle (the primary pin) until
/// it returns it, so the use and every field stay valid while it registers, whatever the parties do meanwhile.</para>
/// <para>A combinator that may decide before every input completed (WhenAny, WaitAsync) claims completion to decide
/// (<see cref="FrameCore"/>'s completion claim: exactly one decider per use) and then <em>detaches</em> the nodes it no
/// longer needs, so the use can end as soon as the caller has consumed the outcome, however long the other inputs still
/// run. Every node exists before the first is registered, so a decision at any point can detach all of them.</para>
/// </remarks>
internal abstract class CombinatorFrame<TResult> : Frame<TResult>, ICombinator
{
    /// <summary>
    /// The nodes of the current use in slots [0, <see cref="_inputCount"/>), written by the setup before any is
    /// registered; the array is kept across uses (grown when a use needs more), its slots cleared when a use ends (or,
    /// for nodes that are not detachable, as they are registered).
    /// </summary>
    private InputWaiter?[] _inputs = [];

    /// <summary>How many inputs the current use has; set by the setup.</summary>
    private int _inputCount;

    /// <summary>
    /// Parties still able to call into this use (see the remarks). Set by the setup before anything is registered;
    /// decremented once per party by interlocked operations; the one that reaches zero releases the owner pin.
    /// </summary>
    private int _parties;

    /// <summary>The generation of the current use (the one the caller's handle carries). Set by the setup.</summary>
    private uint _useGeneration;

    /// <summary>How many inputs the current use has.</summary>
    private protected int InputCount => _inputCount;

    /// <summary>
    /// Whether this combinator may decide before every input completed, and so detach nodes. A combinator that never does
    /// (WhenAll) gets nodes that cost no atomic operation of their own.
    /// </summary>
    private protected virtual bool DetachesInputs => true;

    /// <summary>
    /// Starts a use with <paramref name="inputCount"/> inputs and <paramref name="registrations"/> token registrations
    /// to come, held by the handle the caller gets; returns that handle's generation.
    /// </summary>
    private protected uint BeginUse(int inputCount, int registrations)
    {
        if (_inputs.Length < inputCount)
        {
            _inputs = new InputWaiter?[inputCount];
        }

        _inputCount = inputCount;
        _parties = inputCount + registrations;

        // Activate publishes the writes above with the state word; the nodes and registrations that follow reach other
        // threads only through their own publication, which comes after.
        _useGeneration = Activate(FrameState.OwnerPin | FrameState.PrimaryPin);
        return _useGeneration;
    }

    /// <summary>Gives input <paramref name="index"/> of the current use to a node (the node owns its handle now).</summary>
    private protected void AddInput<T>(int index, SimpleTask<T> input) =>
        _inputs[index] = InputWaiter<T>.Rent(input, this, index, DetachesInputs);

    /// <summary>
    /// Registers every node on its input, in input order (an input that already completed delivers here and now, so the
    /// first of several completed inputs is delivered first).
    /// </summary>
    private protected void RegisterInputs()
    {
        bool detaches = DetachesInputs;
        for (int i = 0; i < _inputCount; i++)
        {
            InputWaiter node = _inputs[i]!;
            if (!detaches)
            {
                _inputs[i] = null; // never touched again by this frame: the node recycles itself once it has run
            }

            node.Register();
        }
    }

    /// <summary>Claims the right to decide this use's outcome; false if another party decided first.</summary>
    private protected bool TryDecide() => TryClaimCompletion(_useGeneration, FrameState.CompleterPin);

    /// <summary>
    /// Reads and stores a node's delivery, and may decide. It must leave the node's party exactly once
    /// (<see cref="LeaveParty"/>, or <see cref="LeaveAsLastParty"/> and then the owner pin with the outcome).
    /// </summary>
    private protected abstract void Deliver(InputWaiter input);

    /// <summary>The decider detaches every node still wanted: each then only releases its input, and never calls back.</summary>
    private protected void DetachInputs()
    {
        for (int i = 0; i < _inputCount; i++)
        {
            if (_inputs[i]!.TryDetach())
            {
                LeaveParty();
            }
        }
    }

    /// <summary>One party (a delivering node, a registration's callback, a detach) is done with this use.</summary>
    private protected void LeaveParty()
    {
        if (LeaveAsLastParty())
        {
            ReleasePin(FrameState.OwnerPin);
        }
    }

    /// <summary>
    /// Leaves a party; true when it was the last, in which case the caller still holds the owner pin and must release it
    /// (WhenAll's last delivery publishes the outcome and releases the pin in one step).
    /// </summary>
    private protected bool LeaveAsLastParty()
    {
        // Release: the party's writes (a delivered result, a recorded fault) happen-before the last party's decrement,
        // which is also the acquire that makes them visible to it. A full fence in .NET.
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        return Interlocked.Decrement(ref _parties) == 0;
    }

    /// <summary>A combinator's frame is never a continuation itself: its input nodes are.</summary>
    internal sealed override void Run() => throw new InvalidOperationException("A combinator's frame is not a continuation.");

    void ICombinator.OnInputCompleted(InputWaiter input) => Deliver(input);

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        for (int i = 0; i < _inputCount; i++)
        {
            // A detached node may still wait for its input: it goes back to its pool when it has released it.
            _inputs[i]?.ReleaseByCombinator();
            _inputs[i] = null;
        }

        _inputCount = 0;
    }
}
