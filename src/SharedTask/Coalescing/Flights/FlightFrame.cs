using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Coalescing.Flights;

/// <summary>
/// The frame of one load in flight for one key of a <see cref="SingleFlight{TKey, TValue}"/>. Its outcome is the
/// load's outcome, and callers without a cancelable token hold plain <see cref="SimpleTask{T}"/> handles to it.
/// </summary>
/// <remarks>
/// <para>Holders. The driver holds the owner pin from the rent until it has delivered the outcome (or found nobody to
/// deliver to): the load holds no reference. Every caller holds one counted seat: a plain caller's handle, or the seat a
/// <see cref="CallerFrame{TKey, TValue}"/> (a caller with a cancelable token) keeps while it waits. So the count falling
/// to zero while the driver still works means exactly "every caller left": <see cref="OnAbandoned"/> then frees the key
/// and cancels the load's token. The use ends when the driver's pin and the last seat are both gone, in whichever
/// order; a double release through a copy of a caller's handle finds its own seat gone and never takes another
/// caller's.</para>
/// </remarks>
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "A pooled frame lives as long as its pool. Its source has no timer, so it holds no unmanaged resource.")]
internal sealed class FlightFrame<TKey, TValue> : Frame<TValue>, IPooledItem<FlightFrame<TKey, TValue>>
    where TKey : notnull
{
    static FlightFrame<TKey, TValue> IPooledItem<FlightFrame<TKey, TValue>>.CreateForPool() => new();

    static bool IPooledItem<FlightFrame<TKey, TValue>>.IsFrame => true;

    /// <summary>
    /// Guards <see cref="_callers"/>, <see cref="_callersClosed"/> and the link fields of the callers in the list. Held only
    /// for a few field writes: never across user code, a continuation, or a scheduling point of the seam.
    /// </summary>
    private readonly Lock _gate = new();

    /// <summary>The SingleFlight whose dictionary holds this use. Set at rent; cleared when the use ends.</summary>
    private SingleFlight<TKey, TValue>? _owner;

    /// <summary>The key, as the leader passed it. Set at rent; cleared when the use ends.</summary>
    private TKey _key = default!;

    /// <summary>The generation of the current use, the one the dictionary entry names. Set at rent.</summary>
    private uint _useGeneration;

    /// <summary>The load's task: stored by <see cref="Start"/> before this frame registers on it, taken by <see cref="Run"/>.</summary>
    private SimpleTask<TValue> _load;

    /// <summary>An exception the load delegate threw synchronously (or a stale task it returned); taken by <see cref="Run"/>.</summary>
    private ExceptionDispatchInfo? _startError;

    /// <summary>
    /// The source of the load's token. Canceled when every caller left before the load finished. Reset for the next load
    /// when the use ends, or replaced if it was canceled.
    /// </summary>
    private CancellationTokenSource _loadCancellation = new();

    /// <summary>Head of the doubly linked list of callers with cancelable tokens waiting for the outcome. Guarded by <see cref="_gate"/>.</summary>
    private CallerFrame<TKey, TValue>? _callers;

    /// <summary>
    /// Set when the driver takes the list to deliver the outcome; a caller that links after that is delivered by its
    /// own thread. Guarded by <see cref="_gate"/>; cleared when the use ends.
    /// </summary>
    private bool _callersClosed;

    /// <summary>Every caller counts, so that the moment the last one leaves is seen while the load runs.</summary>
    private protected override bool WatchesHandles => true;

    /// <summary>Rents a frame for a new flight of <paramref name="key"/>, held by the driver and the leader's seat.</summary>
    internal static FlightFrame<TKey, TValue> Rent(SingleFlight<TKey, TValue> owner, TKey key, out uint generation, out HandleToken leader)
    {
        FlightFrame<TKey, TValue> frame = Pool<FlightFrame<TKey, TValue>>.Rent();
        frame._owner = owner;
        frame._key = key;

        // The leader's seat is claimed before the use starts, while no other thread can reach the frame.
        leader = frame.Annex.Seats.Claim(frame, counted: true);
        generation = frame.Activate(FrameState.OwnerPin | 1);
        frame._useGeneration = generation;
        return frame;
    }

    /// <summary>
    /// A counted seat for a caller that found this use in the dictionary. False when every caller had already left (the
    /// count is zero) or the frame moved on: the check and the increment are one compare-exchange, so a caller can never
    /// join a use that is being abandoned.
    /// </summary>
    internal bool TryJoin(uint generation, out HandleToken seat) => TryAddCountedReference(generation, out seat);

    /// <summary>Throws away a rented use that never got into the dictionary (another caller's flight won the key).</summary>
    internal void DiscardUnstarted(HandleToken leader)
    {
        // The driver's pin first, so that dropping the last seat ends the use without counting as every caller leaving.
        ReleasePin(FrameState.OwnerPin);
        Release(leader);
    }

    /// <summary>
    /// Runs the load on this thread and arranges for its outcome to be delivered. Exceptions of the load become the
    /// outcome; an exception that escapes is one a continuation threw while a synchronous outcome was delivered.
    /// </summary>
    internal void Start<TState>(TState state, Func<TKey, TState, CancellationToken, SimpleTask<TValue>> load)
    {
        bool registered = false;
        try
        {
            _load = load(_key, state, _loadCancellation.Token);

            // This frame becomes the node in the load frame's waiters (no allocation); Run is its continuation. False
            // for an inline result, a load that already completed, or a misused handle (Run reports it).
            registered = _load.TryRegisterInternal(this);
        }
        catch (Exception exception)
        {
            // The delegate threw, or returned a handle that was already released: the load's error either way.
            _load = default;
            _startError = ExceptionDispatchInfo.Capture(exception);
        }

        if (!registered)
        {
            // Deliver from a trampoline loop, as a completing load would: callers' continuations are then queued behind
            // the delivery rather than run in the middle of it.
            Trampoline.RunHere(this);
        }
    }

    /// <summary>The load completed (this frame's continuation, or the synchronous path of Start): take its outcome and deliver it.</summary>
    internal override void Run()
    {
        SimpleTask<TValue> load = _load;
        ExceptionDispatchInfo? error = _startError;
        _load = default;
        _startError = null;

        TValue value = default!;
        if (error is null)
        {
            try
            {
                value = load.Consume();
            }
            catch (Exception exception)
            {
                error = ExceptionDispatchInfo.Capture(exception);
            }
        }

        Finish(value, error);
    }

    /// <summary>The driver: frees the key, publishes the outcome to plain handles, delivers it to callers, then lets go.</summary>
    private void Finish(TValue value, ExceptionDispatchInfo? error)
    {
        // The key is free before anyone can see the outcome: a caller that reacts to it by asking again starts a new
        // load (outcomes, errors included, are not cached). A caller that found the entry before this removal may still
        // join below, and then gets this outcome.
        _owner!.RemoveFlight(_key, new FlightEntry<TKey, TValue>(this, _useGeneration));
        try
        {
            Complete(value, error, pin: 0); // plain handles, through the waiters; the driver keeps its pin
            DeliverToCallers(value, error); // callers with tokens, through the caller list
        }
        finally
        {
            // The driver's last touch: if every caller has gone, this ends the use.
            ReleasePin(FrameState.OwnerPin);
        }
    }

    /// <summary>Closes the caller list and completes every caller in it with the outcome.</summary>
    private void DeliverToCallers(TValue value, ExceptionDispatchInfo? error)
    {
        CallerFrame<TKey, TValue>? node;
        lock (_gate)
        {
            _callersClosed = true;
            node = _callers;
            _callers = null;

            // Marked under the gate: a token firing from now on finds its caller Delivering and leaves it to us.
            for (CallerFrame<TKey, TValue>? caller = node; caller is not null; caller = caller.NextCaller)
            {
                caller.LinkState = CallerLinkState.Delivering;
            }
        }

        while (node is not null)
        {
            // Read the link before completing the caller, whose use may end (and its frame be reused) as it completes.
            CallerFrame<TKey, TValue>? next = node.NextCaller;
            node.CompleteFromFlight(value, error);
            node = next;
        }
    }

    /// <summary>
    /// Links a caller with a cancelable token into the list, unless its token fired first (it is then completed as
    /// canceled by the caller's thread) or the outcome was already delivered (the caller's thread delivers it).
    /// </summary>
    internal CallerLinkState Link(CallerFrame<TKey, TValue> caller)
    {
        lock (_gate)
        {
            if (caller.LinkState == CallerLinkState.CanceledBeforeLink)
            {
                return CallerLinkState.CanceledBeforeLink;
            }

            if (_callersClosed)
            {
                caller.LinkState = CallerLinkState.Delivering;
                return CallerLinkState.Delivering;
            }

            caller.NextCaller = _callers;
            if (_callers is not null)
            {
                _callers.PreviousCaller = caller;
            }

            _callers = caller;
            caller.LinkState = CallerLinkState.Linked;
            return CallerLinkState.Linked;
        }
    }

    /// <summary>
    /// The caller's token fired. True when the token won (the caller was waiting in the list and is now out of it) and
    /// the callback must complete it as canceled; false when the outcome won, the caller left, or it is still attaching
    /// (then it is marked, and the attaching thread completes it as canceled).
    /// </summary>
    internal bool TryUnlinkCanceled(CallerFrame<TKey, TValue> caller)
    {
        lock (_gate)
        {
            if (caller.LinkState == CallerLinkState.Detached)
            {
                caller.LinkState = CallerLinkState.CanceledBeforeLink;
                return false;
            }

            return TryUnlink(caller, CallerLinkState.Canceled);
        }
    }

    /// <summary>
    /// The caller released every handle before its outcome. True when it was still waiting in the list and is now out of
    /// it: the caller left, and its seat in this flight must be released.
    /// </summary>
    internal bool TryUnlinkLeaving(CallerFrame<TKey, TValue> caller)
    {
        lock (_gate)
        {
            return TryUnlink(caller, CallerLinkState.Left);
        }
    }

    /// <summary>Takes a Linked caller out of the list and gives it <paramref name="state"/>; false for any other state. Under the gate.</summary>
    private bool TryUnlink(CallerFrame<TKey, TValue> caller, CallerLinkState state)
    {
        if (caller.LinkState != CallerLinkState.Linked)
        {
            return false;
        }

        if (caller.PreviousCaller is { } previous)
        {
            previous.NextCaller = caller.NextCaller;
        }
        else
        {
            _callers = caller.NextCaller;
        }

        if (caller.NextCaller is { } next)
        {
            next.PreviousCaller = caller.PreviousCaller;
        }

        caller.PreviousCaller = null;
        caller.NextCaller = null;
        caller.LinkState = state;
        return true;
    }

    /// <summary>
    /// Completes a caller that linked after delivery. Its seat keeps this use alive, and the closed list (seen under the
    /// gate, closed after the outcome was published) makes the outcome visible.
    /// </summary>
    internal void DeliverTo(CallerFrame<TKey, TValue> caller) => caller.CompleteFromFlight(PublishedResult, PublishedException);

    /// <summary>Every caller left before the load finished: nobody wants the outcome, so free the key and cancel the load.</summary>
    private protected override void OnAbandoned()
    {
        Debug.Assert(_callers is null, "A caller in the list holds a seat, so the count cannot reach zero with one there.");
        _owner!.RemoveFlight(_key, new FlightEntry<TKey, TValue>(this, _useGeneration));

        // Asynchronously: the load's callbacks run on the thread pool, not inside the Dispose or token callback of
        // whichever caller happened to leave last (they may block or throw). The token reads as canceled at once.
        _ = _loadCancellation.CancelAsync();
    }

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        _owner = null;
        _key = default!;
        _callersClosed = false;
        if (!_loadCancellation.TryReset())
        {
            // A canceled source cannot be reused. It is not disposed either: the abandoned load may still hold its
            // token, and a disposed source's token throws from WaitHandle.
            _loadCancellation = new CancellationTokenSource();
        }
    }

    private protected override void ReturnToPool() => Pool<FlightFrame<TKey, TValue>>.Return(this);

    internal override string Describe() => $"{DisplayNames.Result<TValue>()} of a SingleFlight load (a caller's shared handle)";
}
