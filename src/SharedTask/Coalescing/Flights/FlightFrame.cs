using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Coalescing.Flights;

/// <summary>
/// The frame of one load in flight for one key of a <see cref="SingleFlight{TKey, TValue}"/>. Its outcome is the
/// load's outcome, and callers without a cancelable token hold plain <see cref="SimpleTask{T}"/> handles to it.
/// </summary>
/// <remarks>
/// <para>References. One per caller still interested in the outcome: a plain handle, or a <see cref="CallerFrame{TKey, TValue}"/>
/// (a caller with a cancelable token), which holds one reference here while it waits. While the leader starts the load
/// it holds one more (the starter's), and the driver takes one while it delivers the outcome. The running load holds
/// none: that is how "every caller left" is seen. The count reaches zero while the load still runs, the use ends
/// (Recycle), and <see cref="ClearFrameUse"/> cancels the load's token.</para>
/// <para>Two parties, one return. Because the load holds no reference, the use can end (count zero, generation
/// advanced, stale handles refused) while the load still runs and will later resume this frame through
/// <see cref="Run"/>. So the frame object goes back to its pool only when both the use has ended
/// (<see cref="ReturnToPool"/>, called by Recycle) and the driver is done with it (after <see cref="Finish"/>);
/// whichever comes second returns it. Until then the per-use fields (owner, key, load token) stay valid for both.</para>
/// </remarks>
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "A pooled frame lives as long as its pool. Its source has no timer, so it holds no unmanaged resource.")]
internal sealed class FlightFrame<TKey, TValue> : Frame<TValue>, IPooledItem<FlightFrame<TKey, TValue>>
    where TKey : notnull
{
    static FlightFrame<TKey, TValue> IPooledItem<FlightFrame<TKey, TValue>>.CreateForPool() => new();

    /// <summary>The driver has taken the load's outcome: the use ending from now on does not cancel the load.</summary>
    private const int LoadFinishedBit = 1;

    /// <summary>The driver will not touch this frame again (it delivered the outcome, or found nobody to deliver to).</summary>
    private const int DriverDoneBit = 2;

    /// <summary>The use ended: the last reference was released and Recycle reached <see cref="ReturnToPool"/>.</summary>
    private const int UseEndedBit = 4;

    /// <summary>
    /// Guards <see cref="_callers"/>, <see cref="_callersClosed"/> and the link fields of the callers in the list. Held only
    /// for a few field writes: never across user code, a continuation, or a scheduling point of the seam.
    /// </summary>
    private readonly Lock _gate = new();

    /// <summary>The SingleFlight whose dictionary holds this use. Set at rent; cleared at return.</summary>
    private SingleFlight<TKey, TValue>? _owner;

    /// <summary>The key, as the leader passed it. Set at rent; cleared at return.</summary>
    private TKey _key = default!;

    /// <summary>The generation of the current use, the one the dictionary entry names. Set at rent.</summary>
    private uint _useGeneration;

    /// <summary>The load's task: stored by <see cref="Start"/> before this frame registers on it, taken by <see cref="Run"/>.</summary>
    private SimpleTask<TValue> _load;

    /// <summary>An exception the load delegate threw synchronously (or a stale task it returned); taken by <see cref="Run"/>.</summary>
    private ExceptionDispatchInfo? _startError;

    /// <summary>Bits of <see cref="LoadFinishedBit"/>, <see cref="DriverDoneBit"/>, <see cref="UseEndedBit"/>; set with Interlocked.Or.</summary>
    private int _phase;

    /// <summary>
    /// The source of the load's token. Canceled when the use ends before the load finished. At return it is reset for
    /// the next load, or replaced if it was canceled.
    /// </summary>
    private CancellationTokenSource _loadCancellation = new();

    /// <summary>Head of the doubly linked list of callers with cancelable tokens waiting for the outcome. Guarded by <see cref="_gate"/>.</summary>
    private CallerFrame<TKey, TValue>? _callers;

    /// <summary>
    /// Set when the driver takes the list to deliver the outcome; a caller that links after that is delivered by its
    /// own thread. Guarded by <see cref="_gate"/>; cleared at return.
    /// </summary>
    private bool _callersClosed;

    /// <summary>
    /// Rents a frame for a new flight of <paramref name="key"/>. Its two references are the leader's (its handle, or its
    /// caller frame's) and the starter's, which <see cref="Start"/> releases once the load is running, so that the use
    /// cannot end under Start even if the leader's own token fires at once.
    /// </summary>
    internal static FlightFrame<TKey, TValue> Rent(SingleFlight<TKey, TValue> owner, TKey key, out uint generation)
    {
        FlightFrame<TKey, TValue> frame = Pool<FlightFrame<TKey, TValue>>.Rent();
        frame._owner = owner;
        frame._key = key;
        generation = frame.Activate(references: 2);
        frame._useGeneration = generation;
        return frame;
    }

    /// <summary>
    /// Takes a reference for a caller that found this use in the dictionary. False when every caller had already left
    /// (count zero) or the frame moved on to another use: the check and the increment are one compare-exchange, so a
    /// caller can never join a use that has ended.
    /// </summary>
    internal bool TryJoin(uint generation) => TryAddReferenceForProducer(generation);

    /// <summary>Throws away a rented use that never got into the dictionary (another caller's flight won the key).</summary>
    internal void DiscardUnstarted(uint generation)
    {
        // Nothing was published and no load runs: both parties of the return are done as soon as the use ends.
        Interlocked.Or(ref _phase, LoadFinishedBit | DriverDoneBit);
        Release(generation); // the leader's
        Release(generation); // the starter's, the last: Recycle returns the frame
    }

    /// <summary>
    /// Runs the load on this thread and arranges for its outcome to be delivered. Exceptions of the load become the
    /// outcome; an exception that escapes is one a continuation threw while a synchronous outcome was delivered.
    /// </summary>
    internal void Start<TState>(TState state, Func<TKey, TState, CancellationToken, SimpleTask<TValue>> load)
    {
        uint generation = _useGeneration;
        try
        {
            bool registered = false;
            try
            {
                _load = load(_key, state, _loadCancellation.Token);

                // This frame becomes the node in the load frame's waiter list (no allocation); Run is its
                // continuation. False for an inline result or a load that already completed.
                registered = _load.TryRegister(this, continueOnCapturedContext: false);
            }
            catch (Exception exception)
            {
                // The delegate threw, or returned a handle that was already released: the load's error either way.
                _load = default;
                _startError = ExceptionDispatchInfo.Capture(exception);
            }

            if (!registered)
            {
                // Deliver from a trampoline loop, as a completing load would: callers' continuations are then queued
                // behind the delivery rather than run in the middle of it.
                Trampoline.Schedule(this);
            }
        }
        finally
        {
            Release(generation); // the starter's reference; if every caller has left by now, this ends the use
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

    /// <summary>The driver: frees the key, then delivers the outcome to every caller still interested, if any.</summary>
    private void Finish(TValue value, ExceptionDispatchInfo? error)
    {
        uint generation = _useGeneration;
        Interlocked.Or(ref _phase, LoadFinishedBit);

        // The key is free before anyone can see the outcome: a caller that reacts to it by asking again starts a new
        // load (outcomes, errors included, are not cached). A caller that found the entry before this removal may
        // still join below, and then gets this outcome.
        _owner!.RemoveFlight(_key, new FlightEntry<TKey, TValue>(this, generation));

        // The driver's reference, for as long as it writes the outcome and walks the callers. The compare-exchange
        // decides the race with the last caller leaving: either that release came first (count zero: the use has
        // ended, and this fails), or this reference keeps the use alive until the outcome is published.
        if (!TryAddReferenceForProducer(generation))
        {
            // Every caller left before the outcome; ClearFrameUse has removed the entry and canceled the load's token.
            EndDriverPart();
            return;
        }

        try
        {
            CompleteCore(value, error); // plain handles, through the waiter list
            DeliverToCallers(value, error); // callers with tokens, through the caller list
        }
        finally
        {
            // Marked before the release, because the release may end the use and return the frame (invariant 4).
            Interlocked.Or(ref _phase, DriverDoneBit);
            Release(generation);
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
            // Invariant 4: read the link before completing the caller, which may end its use.
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
    /// The caller released its handle (its use ended). True when it was still waiting in the list and is now out of
    /// it: the caller left, and its reference to this flight must be released.
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
    /// Completes a caller that linked after delivery. Its reference keeps this use alive, and the closed list (seen
    /// under the gate, set after the outcome was written) makes the outcome visible.
    /// </summary>
    internal void DeliverTo(CallerFrame<TKey, TValue> caller) => caller.CompleteFromFlight(_result, _exception);

    /// <summary>
    /// The use ended (Recycle, after Frame's fields were cleared). If the load has not finished, every caller released
    /// its handle first: nobody wants the outcome, so free the key and cancel the load.
    /// </summary>
    private protected override void ClearFrameUse()
    {
        Debug.Assert(_callers is null, "A caller in the list holds a reference, so the use cannot end with one there.");
        if ((Volatile.Read(ref _phase) & LoadFinishedBit) == 0)
        {
            // The driver may be finishing at this moment: then it fails to take its reference, and the cancellation
            // reaches a load that has just completed, which is harmless.
            _owner!.RemoveFlight(_key, new FlightEntry<TKey, TValue>(this, _useGeneration));

            // Asynchronously: the load's callbacks run on the thread pool, not inside the Dispose or token callback of
            // whichever caller happened to leave last (they may block or throw). The token reads as canceled at once.
            _ = _loadCancellation.CancelAsync();
        }
    }

    /// <summary>Recycle's last step: one of the two parties of the return is done.</summary>
    private protected override void ReturnToPool()
    {
        if ((Interlocked.Or(ref _phase, UseEndedBit) & DriverDoneBit) != 0)
        {
            ReturnNow();
        }
    }

    /// <summary>The driver's last step when it found nobody to deliver to.</summary>
    private void EndDriverPart()
    {
        if ((Interlocked.Or(ref _phase, DriverDoneBit) & UseEndedBit) != 0)
        {
            ReturnNow();
        }
    }

    /// <summary>
    /// Runs on whichever party finished second; the other's writes happen-before its Interlocked.Or, which this one
    /// observed, so this thread owns every field.
    /// </summary>
    private void ReturnNow()
    {
        _owner = null;
        _key = default!;
        _callersClosed = false;
        _phase = 0;
        if (!_loadCancellation.TryReset())
        {
            // A canceled source cannot be reused. It is not disposed either: the abandoned load may still hold its
            // token, and a disposed source's token throws from WaitHandle.
            _loadCancellation = new CancellationTokenSource();
        }

        Pool<FlightFrame<TKey, TValue>>.Return(this);
    }
}
