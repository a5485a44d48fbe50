using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Coalescing.Flights;

/// <summary>
/// The frame of one caller with a cancelable token: its handle completes with the flight's outcome, or as canceled
/// when its own token fires first, whichever wins under the flight's gate. Pooled, so a caller with a token allocates
/// nothing in steady state (the token's registration node is reused by its source).
/// </summary>
/// <remarks>
/// <para>References at attach: three.</para>
/// <list type="bullet">
/// <item><description>The caller's handle.</description></item>
/// <item><description>The completer's: held by whoever completes this caller (the flight's delivery, or the token's callback, or the
/// attaching thread), dropped after its last touch.</description></item>
/// <item><description>The registration's: held by the token callback until it has run, or dropped by whoever unregistered it
/// successfully. The callback reads this frame, so the use must not end while it may still run; this is what lets the
/// callback's state be the bare frame, with no allocation per registration to carry a generation.</description></item>
/// </list>
/// <para>While it waits, the caller also holds one reference to the flight; the completer releases it. A caller whose
/// token wins therefore leaves the flight at once, which is how the last caller's cancellation cancels the load.</para>
/// </remarks>
internal sealed class CallerFrame<TKey, TValue> : Frame<TValue>
    where TKey : notnull
{
    private static readonly Action<object?, CancellationToken> s_onTokenCanceled =
        static (state, token) => Unsafe.As<CallerFrame<TKey, TValue>>(state!).OnTokenCanceled(token);

    /// <summary>The flight whose reference this caller holds while it waits. Set at attach; cleared when the use ends.</summary>
    private FlightFrame<TKey, TValue>? _flight;

    /// <summary>The generation of the flight's use that reference belongs to.</summary>
    private uint _flightGeneration;

    /// <summary>The generation of this frame's current use. Set at attach.</summary>
    private uint _useGeneration;

    /// <summary>
    /// The token registration. Written by the attaching thread before the caller is linked (the gate makes it visible to
    /// the delivery that takes the list); read once, by whoever completes the caller from the flight.
    /// </summary>
    private CancellationTokenRegistration _registration;

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
        uint generation = caller.Activate(references: 3);
        caller._useGeneration = generation;

        // Registered before linking, so a token that fires in between is not missed: its callback finds the caller
        // Detached and marks it, and Link below sees the mark. Fields the callback reads are written above; the
        // registration publishes them to the thread that runs it. UnsafeRegister: no execution context to capture.
        CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(s_onTokenCanceled, caller);
        caller._registration = registration;
        if (registration == default && caller.LinkState != CallerLinkState.CanceledBeforeLink)
        {
            // No registration and no synchronous callback: the token's source was disposed and can never fire, so
            // nobody else will drop the registration's reference.
            caller.Release(generation);
        }

        switch (flight.Link(caller))
        {
            case CallerLinkState.CanceledBeforeLink:
                caller.CompleteCanceled(cancellationToken);
                break;

            case CallerLinkState.Delivering:
                flight.DeliverTo(caller);
                break;
        }

        return new SimpleTask<TValue>(caller, generation);
    }

    /// <summary>The token's callback: complete as canceled if the caller is still waiting in the list.</summary>
    private void OnTokenCanceled(CancellationToken cancellationToken)
    {
        // This callback owns the registration's reference: the use cannot end before the release at the bottom, so
        // the fields read here belong to the use that registered it.
        uint generation = _useGeneration;
        try
        {
            if (_flight!.TryUnlinkCanceled(this))
            {
                CompleteCanceled(cancellationToken);
            }
        }
        finally
        {
            Release(generation);
        }
    }

    /// <summary>The token won: leave the flight, then complete as canceled. Runs on the completer's reference.</summary>
    private void CompleteCanceled(CancellationToken cancellationToken)
    {
        FlightFrame<TKey, TValue> flight = _flight!;
        uint flightGeneration = _flightGeneration;
        uint generation = _useGeneration;
        try
        {
            // Leave the flight first: if this was its last caller, the load's token is canceled before this caller
            // observes its own cancellation.
            flight.Release(flightGeneration);
        }
        finally
        {
            try
            {
                CompleteCore(default!, ExceptionDispatchInfo.Capture(new OperationCanceledException(cancellationToken)));
            }
            finally
            {
                Release(generation); // the completer's
            }
        }
    }

    /// <summary>The outcome won: complete with it. Called by the flight's delivery, or by the attaching thread after it.</summary>
    internal void CompleteFromFlight(TValue value, ExceptionDispatchInfo? error)
    {
        FlightFrame<TKey, TValue> flight = _flight!;
        uint flightGeneration = _flightGeneration;
        uint generation = _useGeneration;
        PreviousCaller = null;
        NextCaller = null;

        // True: the callback will never run, so its reference is ours to drop. False: it is running or has run; it
        // finds this caller Delivering, completes nothing, and drops its reference itself.
        bool unregistered = _registration.Unregister();
        try
        {
            flight.Release(flightGeneration);
        }
        finally
        {
            try
            {
                CompleteCore(value, error);
            }
            finally
            {
                Release(generation); // the completer's
                if (unregistered)
                {
                    Release(generation); // the registration's
                }
            }
        }
    }

    private protected override void ClearFrameUse()
    {
        _flight = null;
        _registration = default;
        PreviousCaller = null;
        NextCaller = null;
        LinkState = CallerLinkState.Detached;
    }

    private protected override void ReturnToPool() => Pool<CallerFrame<TKey, TValue>>.Return(this);

    /// <summary>A caller frame is never a continuation: it waits in its flight's caller list, not in a waiter list.</summary>
    internal override void Run() => throw new InvalidOperationException("A SingleFlight caller's frame is not a continuation.");
}
