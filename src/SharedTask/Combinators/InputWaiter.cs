using System.Diagnostics;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask.Combinators;

/// <summary>
/// A pooled node waiting for one input of a combinator (WhenAll, WhenAny, WaitAsync). It sits in the input's waiter
/// list, consumes the input's handle when the input completes (always: the combinator took that handle over), and hands
/// the outcome to its combinator if the combinator still wants it.
/// </summary>
/// <remarks>
/// <para>A combinator that decides before every input completed (WhenAny's winner, a canceled wait) <em>detaches</em>
/// the nodes it no longer needs, so that its own frame can go back to its pool at once: a detached node stays in its
/// input's waiter list, releases the input when it completes, and then goes back to its own pool. Nothing can be taken
/// out of a frame's waiter list, so this is how an abandoned wait holds a small node rather than a frame.</para>
/// <para>A detachable node's state word, changed only by interlocked operations:</para>
/// <code>
/// Wanted      the combinator wants this input's outcome. Cleared exactly once: by the delivery (the node won, and
///             reports) or by a detach (the combinator decided without it). Whoever clears it accounts for the node
///             in the combinator.
/// RunPending  the node's own party: it has not finished running (it will run exactly once, when its input completes).
/// FrameHeld   the combinator's party: it may still detach this node or read its outcome.
/// </code>
/// <para>A detachable node goes back to its pool when both parties are gone, so neither party can ever find it serving
/// another combinator (no ABA on a recycled node). A combinator that never decides early (WhenAll) attaches its nodes
/// as not detachable: such a node always delivers, the combinator never touches it afterwards, and it goes back to its
/// pool as soon as it has run, with no atomic operation of its own.</para>
/// </remarks>
internal abstract class InputWaiter : Waiter
{
    private const int Wanted = 1;
    private const int RunPending = 2;
    private const int FrameHeld = 4;

    /// <summary>See the remarks (0 for a node that is not detachable). Set plainly at <see cref="Attach"/>, before the node is registered.</summary>
    private int _state;

    /// <summary>Whether the combinator may detach this node; set at <see cref="Attach"/>.</summary>
    private bool _detachable;

    /// <summary>The combinator; set at attach, read by the delivery, cleared when the node goes back to its pool.</summary>
    private ICombinator? _combinator;

    /// <summary>Which input of the combinator this node waits for (its position in the caller's arguments).</summary>
    internal int Index { get; private set; }

    /// <summary>
    /// The input's exception when it faulted or was canceled (or the misuse its handle reported). Written by
    /// <see cref="Run"/> before the delivery; cleared before the node's party goes.
    /// </summary>
    internal ExceptionDispatchInfo? Error { get; private protected set; }

    /// <summary>
    /// Binds a freshly rented node to <paramref name="combinator"/>. The plain writes are published to other threads by
    /// the registration that follows (a compare-exchange on the input's frame) and by the combinator's own publication.
    /// </summary>
    private protected void Attach(ICombinator combinator, int index, bool detachable)
    {
        Debug.Assert(_state == 0 && _combinator is null, "A node is attached once per rent.");
        _combinator = combinator;
        Index = index;
        _detachable = detachable;
        _state = detachable ? Wanted | RunPending | FrameHeld : 0;
    }

    /// <summary>
    /// Links this node into its input's waiter list; when the input already completed (or its handle is misused) the
    /// node runs here and now, and delivers before this returns.
    /// </summary>
    internal abstract void Register();

    /// <summary>
    /// The combinator decided without this input: true if it took the delivery away (the node will only release its
    /// input), false if the node is delivering or has delivered (its delivery accounts for it).
    /// </summary>
    internal bool TryDetach()
    {
        Debug.Assert(_detachable, "Only a detachable node is detached.");
        return TryClearWanted();
    }

    /// <summary>The combinator's use ended: it never touches this (detachable) node again.</summary>
    internal void ReleaseByCombinator()
    {
        Debug.Assert(_detachable, "Only a detachable node has a combinator's party.");
        ReleaseParty(FrameHeld);
    }

    /// <summary>The input completed: read its outcome (consuming its handle), deliver it if it is still wanted, let go.</summary>
    internal sealed override void Run()
    {
        ConsumeInput();
        bool detachable = _detachable;
        try
        {
            if (!detachable || TryClearWanted())
            {
                _combinator!.OnInputCompleted(this);
            }
        }
        finally
        {
            // The outcome goes before the party: once the party is gone the node may be in its pool.
            Error = null;
            ClearResult();
            if (detachable)
            {
                ReleaseParty(RunPending);
            }
            else
            {
                Recycle(); // the combinator is done with it: it reads a node only during the delivery
            }
        }
    }

    /// <summary>Consumes the input's handle into the node's outcome (the result, or <see cref="Error"/>); never throws.</summary>
    private protected abstract void ConsumeInput();

    /// <summary>Drops the result the node read (it may hold references).</summary>
    private protected abstract void ClearResult();

    /// <summary>Returns the node to the pool of its exact type.</summary>
    private protected abstract void ReturnToPool();

    private bool TryClearWanted()
    {
        SchedulingSeam.Point(SeamPoint.WaiterSlotRead, this);
        int observed = Volatile.Read(ref _state);
        while ((observed & Wanted) != 0)
        {
            // Exactly one of the delivery and a detach clears the flag: the one that does decides how the combinator
            // counts this input. A full fence: the delivery's outcome writes, made before, are visible to the combinator.
            SchedulingSeam.Point(SeamPoint.WaiterSlotUpdate, this);
            int seen = Interlocked.CompareExchange(ref _state, observed & ~Wanted, observed);
            if (seen == observed)
            {
                return true;
            }

            observed = seen;
        }

        return false;
    }

    private void ReleaseParty(int party)
    {
        // Release: this party's last accesses to the node happen-before the other party sees the word at zero and
        // returns it (the last one to leave is the one that returns it). A full fence in .NET.
        SchedulingSeam.Point(SeamPoint.WaiterSlotUpdate, this);
        int before = Interlocked.And(ref _state, ~party);
        Debug.Assert((before & party) != 0, "Each party leaves once.");
        if ((before & ~party) == 0)
        {
            Recycle();
        }
    }

    /// <summary>Clears the attachment and returns the node to its pool; the caller is the node's last party.</summary>
    private void Recycle()
    {
        _combinator = null;
        Index = 0;
        _detachable = false;
        ReturnToPool();
    }
}
