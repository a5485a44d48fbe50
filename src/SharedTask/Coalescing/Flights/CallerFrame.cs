using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Coalescing.Flights;

/// <summary>
/// The frame of one caller with a cancelable token: its handle completes with the flight's outcome, or as canceled
/// when its own token fires first, whichever wins under the flight's gate; releasing the handle before either makes
/// the caller leave the flight. Pooled, so a caller with a token allocates nothing in steady state (the token's
/// registration node is reused by its source).
/// </summary>
/// <remarks>
/// <para>References. Only the caller's handles hold references, so the count reaching zero means exactly "the caller
/// released its handle", and Recycle (<see cref="ClearFrameUse"/>) is where a caller that leaves before the outcome
/// leaves its flight. Whoever completes the caller takes a reference for the moment it writes the outcome
/// (<see cref="TryComplete"/>), and skips the write if the caller already left.</para>
/// <para>While it waits, the caller holds one reference to its flight. Whoever moves it out of the Linked state
/// (the delivery, the token's callback, the end of its use, or the attaching thread) releases that reference. A caller
/// that leaves in any way therefore leaves the flight at once, which is how the last caller leaving cancels the load.</para>
/// <para>Three parties, one return. The use can end while others still read this object: the delivery walking the
/// caller list, and the token's callback, whose state is this bare frame (no allocation per registration to carry a
/// generation). So the object goes back to its pool only after all three parties are done (<see cref="_parties"/>): the
/// use (Recycle), the decision (whoever moved it out of Linked, after its last touch) and the registration (the
/// callback has run, or whoever unregistered it successfully).</para>
/// </remarks>
internal sealed class CallerFrame<TKey, TValue> : Frame<TValue>, IPooledItem<CallerFrame<TKey, TValue>>
    where TKey : notnull
{
    static CallerFrame<TKey, TValue> IPooledItem<CallerFrame<TKey, TValue>>.CreateForPool() => new();

    private static readonly Action<object?, CancellationToken> s_onTokenCanceled =
        static (state, token) => Unsafe.As<CallerFrame<TKey, TValue>>(state!).OnTokenCanceled(token);

    /// <summary>The flight whose reference this caller holds while it waits. Set at attach; cleared at return.</summary>
    private FlightFrame<TKey, TValue>? _flight;

    /// <summary>The generation of the flight's use that reference belongs to. Set at attach.</summary>
    private uint _flightGeneration;

    /// <summary>The generation of this frame's current use. Set at attach.</summary>
    private uint _useGeneration;

    /// <summary>
    /// The token registration. Written by the attaching thread before the caller is linked (the gate makes it visible to
    /// whoever takes the caller out of the list); read by that one party to unregister.
    /// </summary>
    private CancellationTokenRegistration _registration;

    /// <summary>Parties still to finish before the object returns to its pool: 3 at attach (use, decision, registration).</summary>
    private int _parties;

    /// <summary>Links in the flight's caller list. Guarded by the flight's gate; read without it only by the delivery walk.</summary>
    internal CallerFrame<TKey, TValue>? PreviousCaller;

    /// <inheritdoc cref="PreviousCaller"/>
    internal CallerFrame<TKey, TValue>? NextCaller;

    /// <summary>Who completes this caller; guarded by the flight's gate (see <see cref="CallerLinkState"/>).</summary>
    internal CallerLinkState LinkState;

    /// <summary>
    /// Wraps the flight reference <paramref name="flightGeneration"/> that the caller owns in a caller frame whose wait
    /// <paramref name="cancellationToken"/> can cancel, and returns the caller's handle.
    /// </summary>
    internal static SimpleTask<TValue> Attach(
        FlightFrame<TKey, TValue> flight, uint flightGeneration, CancellationToken cancellationToken)
    {
        CallerFrame<TKey, TValue> caller = Pool<CallerFrame<TKey, TValue>>.Rent();
        caller._flight = flight;
        caller._flightGeneration = flightGeneration;
        caller._parties = 3;
        uint generation = caller.Activate(references: 1);
        caller._useGeneration = generation;

        // Registered before linking, so a token that fires in between is not missed: its callback finds the caller
        // Detached and marks it, and Link below sees the mark. The fields the callback reads are written above; the
        // registration publishes them to the thread that runs it. UnsafeRegister: no execution context to capture.
        CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(s_onTokenCanceled, caller);
        caller._registration = registration;
        if (registration == default && caller.LinkState != CallerLinkState.CanceledBeforeLink)
        {
            // No registration and no synchronous callback: the token's source was disposed and can never fire.
            caller.EndParty();
        }

        switch (flight.Link(caller))
        {
            case CallerLinkState.CanceledBeforeLink:
                // The callback ran (it ends the registration's party itself); the decision is this thread's.
                caller.LeaveFlight();
                caller.TryComplete(default!, CanceledBy(cancellationToken));
                caller.EndParty();
                break;

            case CallerLinkState.Delivering:
                flight.DeliverTo(caller);
                break;
        }

        return new SimpleTask<TValue>(caller, generation);
    }

    /// <summary>
    /// The outcome won: complete with it. Called by the flight's delivery for a caller it took from the list, or by the
    /// attaching thread for a caller that arrived after delivery. Holds the decision party until its last touch.
    /// </summary>
    internal void CompleteFromFlight(TValue value, ExceptionDispatchInfo? error)
    {
        PreviousCaller = null;
        NextCaller = null;
        UnregisterToken();
        try
        {
            LeaveFlight();
        }
        finally
        {
            try
            {
                TryComplete(value, error);
            }
            finally
            {
                EndParty(); // the decision's
            }
        }
    }

    /// <summary>The token's callback: complete as canceled if the caller is still waiting in the list.</summary>
    private void OnTokenCanceled(CancellationToken cancellationToken)
    {
        // The registration's party keeps this object out of the pool until the bottom, so the fields read here belong
        // to the use that registered the callback.
        try
        {
            if (_flight!.TryUnlinkCanceled(this))
            {
                try
                {
                    // Leave the flight first: if this was its last caller, the load's token is canceled before the
                    // caller observes its own cancellation.
                    LeaveFlight();
                }
                finally
                {
                    try
                    {
                        TryComplete(default!, CanceledBy(cancellationToken));
                    }
                    finally
                    {
                        EndParty(); // the decision's
                    }
                }
            }
        }
        finally
        {
            EndParty(); // the registration's
        }
    }

    /// <summary>
    /// The use ended: the caller released its last handle. If it was still waiting in the list, it leaves: the decision
    /// is this thread's, and the token's registration goes too.
    /// </summary>
    private protected override void ClearFrameUse()
    {
        if (_flight!.TryUnlinkLeaving(this))
        {
            UnregisterToken();
            try
            {
                LeaveFlight();
            }
            finally
            {
                EndParty(); // the decision's
            }
        }
    }

    /// <summary>Recycle's last step: the use's party is done.</summary>
    private protected override void ReturnToPool() => EndParty();

    /// <summary>A caller frame is never a continuation: it waits in its flight's caller list, not in a waiter list.</summary>
    internal override void Run() => throw new InvalidOperationException("A SingleFlight caller's frame is not a continuation.");

    /// <summary>
    /// Writes the outcome, if the caller is still there to see it. The reference taken for the write is what keeps the
    /// use from ending (and Recycle from clearing the frame) in the middle of it; it fails only if the caller has left.
    /// </summary>
    private void TryComplete(TValue value, ExceptionDispatchInfo? error)
    {
        uint generation = _useGeneration;
        if (!TryAddReferenceForProducer(generation))
        {
            return;
        }

        try
        {
            CompleteCore(value, error);
        }
        finally
        {
            Release(generation);
        }
    }

    /// <summary>Releases this caller's reference to its flight (the decision party does this exactly once).</summary>
    private void LeaveFlight() => _flight!.Release(_flightGeneration);

    /// <summary>
    /// Removes the token registration, ending its party if that succeeded. If it did not, the callback is running or has
    /// run: it finds the caller no longer Linked, does nothing but end the party itself.
    /// </summary>
    private void UnregisterToken()
    {
        if (_registration.Unregister())
        {
            EndParty();
        }
    }

    /// <summary>One party is done; the last one returns the object to its pool (and touches nothing after).</summary>
    private void EndParty()
    {
        // The decrement is a full fence: every other party's reads and writes of this object happen-before the one
        // that reaches zero, so that thread may clear and return it.
        if (Interlocked.Decrement(ref _parties) == 0)
        {
            _flight = null;
            _registration = default;
            PreviousCaller = null;
            NextCaller = null;
            LinkState = CallerLinkState.Detached;
            Pool<CallerFrame<TKey, TValue>>.Return(this);
        }
    }

    private static ExceptionDispatchInfo CanceledBy(CancellationToken cancellationToken) =>
        ExceptionDispatchInfo.Capture(new OperationCanceledException(cancellationToken));
}
