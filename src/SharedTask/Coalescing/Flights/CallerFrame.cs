using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Coalescing.Flights;

/// <summary>
/// The frame of one caller with a cancelable token: its handle completes with the flight's outcome, or as canceled when
/// its own token fires first, whichever wins under the flight's gate; releasing every handle before either makes the
/// caller leave the flight. Pooled, so a caller with a token allocates nothing in steady state (the token's
/// registration node is reused by its source).
/// </summary>
/// <remarks>
/// <para>Holders of a use: the caller's handle (the primary pin, and counted seats for its copies); the decision (the
/// owner pin: whoever takes the caller out of the Linked state completes it, or leaves, and releases the pin after its
/// last touch); and the token registration (the registration pin: released by whoever unregisters it successfully, or by
/// the callback at its end). The use, and so every field here, lasts until all three are gone: the delivery walking
/// the caller list and a late token callback can never find this frame serving another caller.</para>
/// <para>While it waits, the caller holds one counted seat in its flight; the decision releases it exactly once. A
/// caller that leaves in any way therefore leaves the flight at once, which is how the last caller leaving cancels the
/// load.</para>
/// </remarks>
internal sealed class CallerFrame<TKey, TValue> : Frame<TValue>, IPooledItem<CallerFrame<TKey, TValue>>
    where TKey : notnull
{
    static CallerFrame<TKey, TValue> IPooledItem<CallerFrame<TKey, TValue>>.CreateForPool() => new();

    static bool IPooledItem<CallerFrame<TKey, TValue>>.IsFrame => true;

    private static readonly Action<object?, CancellationToken> s_onTokenCanceled =
        static (state, token) => Unsafe.As<CallerFrame<TKey, TValue>>(state!).OnTokenCanceled(token);

    /// <summary>The flight this caller waits for. Set at attach; cleared when the use ends.</summary>
    private FlightFrame<TKey, TValue>? _flight;

    /// <summary>The caller's counted seat in the flight. Set at attach; released once, by the decision.</summary>
    private HandleToken _flightSeat;

    /// <summary>
    /// The token registration. Written by the attaching thread before the caller is linked (the gate makes it visible to
    /// whoever takes the caller out of the list); read by that one party to unregister.
    /// </summary>
    private CancellationTokenRegistration _registration;

    /// <summary>Links in the flight's caller list. Guarded by the flight's gate; read without it only by the delivery walk.</summary>
    internal CallerFrame<TKey, TValue>? PreviousCaller;

    /// <inheritdoc cref="PreviousCaller"/>
    internal CallerFrame<TKey, TValue>? NextCaller;

    /// <summary>Who completes this caller; guarded by the flight's gate (see <see cref="CallerLinkState"/>).</summary>
    internal CallerLinkState LinkState;

    /// <summary>The caller's handles are watched: when the last goes before the outcome, the caller leaves its flight.</summary>
    private protected override bool WatchesHandles => true;

    /// <summary>
    /// Wraps the seat in <paramref name="flight"/> that the caller owns in a caller frame whose wait
    /// <paramref name="cancellationToken"/> can cancel, and returns the caller's handle.
    /// </summary>
    internal static SimpleTask<TValue> Attach(
        FlightFrame<TKey, TValue> flight, HandleToken flightSeat, CancellationToken cancellationToken)
    {
        CallerFrame<TKey, TValue> caller = Pool<CallerFrame<TKey, TValue>>.Rent();
        caller._flight = flight;
        caller._flightSeat = flightSeat;
        uint generation = caller.Activate(FrameState.OwnerPin | FrameState.PrimaryPin | FrameState.RegistrationPin);

        // Registered before linking, so a token that fires in between is not missed: its callback finds the caller
        // Detached and marks it, and Link below sees the mark. The fields the callback reads are written above; the
        // registration publishes them to the thread that runs it. UnsafeRegister: no execution context to capture.
        CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(s_onTokenCanceled, caller);
        caller._registration = registration;
        if (registration == default && caller.LinkState != CallerLinkState.CanceledBeforeLink)
        {
            // No registration and no synchronous callback: the token's source was disposed and can never fire.
            caller.ReleasePin(FrameState.RegistrationPin);
        }

        switch (flight.Link(caller))
        {
            case CallerLinkState.CanceledBeforeLink:
                // The callback ran (it releases the registration pin itself); the decision is this thread's.
                caller.LeaveFlight();
                caller.Complete(default!, CanceledBy(cancellationToken), FrameState.OwnerPin);
                break;

            case CallerLinkState.Delivering:
                flight.DeliverTo(caller);
                break;
        }

        return new SimpleTask<TValue>(caller, HandleToken.Primary(generation));
    }

    /// <summary>
    /// The outcome won: complete with it. Called by the flight's delivery for a caller it took from the list, or by the
    /// attaching thread for a caller that arrived after delivery.
    /// </summary>
    internal void CompleteFromFlight(TValue value, ExceptionDispatchInfo? error)
    {
        PreviousCaller = null;
        NextCaller = null;
        UnregisterToken();
        LeaveFlight();
        Complete(value, error, FrameState.OwnerPin); // the decision's last touch: the use may end here
    }

    /// <summary>The token's callback: complete as canceled if the caller is still waiting in the list.</summary>
    private void OnTokenCanceled(CancellationToken cancellationToken)
    {
        // The registration pin keeps this use until the bottom, so the fields read here are the registering use's.
        try
        {
            if (_flight!.TryUnlinkCanceled(this))
            {
                // Leave the flight first: if this was its last caller, the load's token is canceled before the caller
                // observes its own cancellation.
                LeaveFlight();
                Complete(default!, CanceledBy(cancellationToken), FrameState.OwnerPin);
            }
        }
        finally
        {
            ReleasePin(FrameState.RegistrationPin);
        }
    }

    /// <summary>The caller released every handle before its outcome: if it was still waiting in the list, it leaves.</summary>
    private protected override void OnAbandoned()
    {
        if (_flight!.TryUnlinkLeaving(this))
        {
            UnregisterToken();
            LeaveFlight();
            ReleasePin(FrameState.OwnerPin); // the decision: left, with no outcome (no handle remains to read one)
        }
    }

    /// <summary>A caller frame is never a continuation: it waits in its flight's caller list, not in a waiter list.</summary>
    internal override void Run() => throw new InvalidOperationException("A SingleFlight caller's frame is not a continuation.");

    /// <summary>Releases this caller's seat in its flight (the decision does this exactly once).</summary>
    private void LeaveFlight() => _flight!.Release(_flightSeat);

    /// <summary>
    /// Removes the token registration, releasing its pin if that succeeded. If it did not, the callback is running or
    /// has run: it finds the caller no longer Linked and only releases the pin itself.
    /// </summary>
    private void UnregisterToken()
    {
        if (_registration.Unregister())
        {
            ReleasePin(FrameState.RegistrationPin);
        }
    }

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        _flight = null;
        _flightSeat = default;
        _registration = default;
        PreviousCaller = null;
        NextCaller = null;
        LinkState = CallerLinkState.Detached;
    }

    private protected override void ReturnToPool() => Pool<CallerFrame<TKey, TValue>>.Return(this);

    internal override string Describe() => $"{DisplayNames.Result<TValue>()} of a SingleFlight caller with a cancellation token";

    private static ExceptionDispatchInfo CanceledBy(CancellationToken cancellationToken) =>
        ExceptionDispatchInfo.Capture(new OperationCanceledException(cancellationToken));
}
