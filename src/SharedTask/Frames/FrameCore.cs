using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Diagnostics.LeakTracking;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// The part of a frame that does not depend on the result type: the state word (<see cref="FrameState"/>), the seats
/// (<see cref="SeatTable"/>), the waiters, and the end of a use. Every rule of src/SharedTask/DESIGN.md about who may
/// touch a frame when is kept here, and each atomic site says which ordering it relies on.
/// </summary>
/// <remarks>
/// <para>Memory ordering. The C++ <c>promise_ptr</c> design (and Rust's <c>Arc</c>) needs a relaxed increment, a
/// release decrement, and an acquire before the last decrement destroys the frame; publication of the outcome needs a
/// release, its observation an acquire. Every <see cref="Interlocked"/> operation in .NET is a full fence
/// (dotnet/runtime docs/design/specs/Memory-model.md) and a <see cref="Volatile"/> read is an acquire, so each site
/// gets at least what it needs; the comments say which half each one relies on.</para>
/// <para>Who keeps a use alive (pins and counted references) is kept apart from who merely holds a handle (the primary
/// pin or a seat), and the owner's pin is never a handle's to release: no misuse of a handle can end a use whose
/// method still runs, and a double release finds its own reference already gone.</para>
/// </remarks>
internal abstract class FrameCore : Waiter, ITrackedFrame, IHomedItem
{
    /// <summary>Marks a waiter list as taken by completion: a registrant that finds it waits for the outcome to be published.</summary>
    private static readonly Waiter s_closed = new ClosedListSentinel();

    /// <summary>
    /// Generation, flags, pins and count (see <see cref="FrameState"/>). Written by compare-exchange while a use is live;
    /// written plainly only by <see cref="Activate"/>, when no other thread can reach the frame.
    /// </summary>
    private long _state;

    /// <summary>
    /// The continuation of the primary handle's consuming await: null, or the waiter written by the registrant right
    /// after its compare-exchange set <see cref="FrameState.PrimaryWaiting"/>. Read by the completer before it publishes
    /// (it waits out the registrant's few instructions if it must); cleared when the use ends.
    /// </summary>
    private Waiter? _primaryWaiter;

    /// <summary>Seats, the waiter list and a fault's exception; created on first need, kept across uses.</summary>
    private FrameAnnex? _annex;

    /// <summary>The generation of the current use (diagnostics and tests: it can change right after the read).</summary>
    internal uint Generation => FrameState.Generation(ReadState());

    /// <summary>The counted references of the current use (diagnostics and tests).</summary>
    internal int CountedReferences => FrameState.Count(ReadState());

    /// <summary>Whether the current use is live (diagnostics and tests).</summary>
    internal bool IsLive => FrameState.IsLive(ReadState());

    /// <summary>
    /// How many handles hold the current use (diagnostics: leak reports and tests): the primary one and every live seat.
    /// A moment's snapshot.
    /// </summary>
    internal int OutstandingHandles =>
        ((ReadState() & FrameState.PrimaryPin) != 0 ? 1 : 0) + (_annex is { } annex ? annex.Seats.CountLive() : 0);

    /// <summary>The result type users see (<c>void</c> for the non-generic SimpleTask).</summary>
    internal abstract Type ResultType { get; }

    /// <summary>The exception of the published outcome, if it faulted (read only after observing completion).</summary>
    private protected ExceptionDispatchInfo? PublishedException => _annex?.Exception;

    /// <summary>Every exception of a use faulted with several, else null (read only after observing completion).</summary>
    private protected Exception[]? PublishedFaults => _annex?.Faults;

    /// <summary>
    /// Whether this frame watches its handles: it counts every seat in the state word even while pinned, and is told
    /// (<see cref="OnAbandoned"/>) when the last handle goes before the outcome (SingleFlight frames, which must see the
    /// moment every caller has gone). Other frames leave seats uncounted while pinned and count them only if they
    /// outlive the last pin, so Share and Copy cost one compare-exchange on the common path.
    /// </summary>
    private protected virtual bool WatchesHandles => false;

    // ---- the state word ---------------------------------------------------------------------------------------

    private long ReadState()
    {
        SchedulingSeam.Point(SeamPoint.FrameStateRead, this);
        return Volatile.Read(ref _state);
    }

    private long CompareExchangeState(long value, long comparand)
    {
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        return Interlocked.CompareExchange(ref _state, value, comparand);
    }

    /// <summary>
    /// Starts a use of a freshly rented frame held by <paramref name="holders"/> (pins, and a count of references already
    /// claimed) and returns its generation.
    /// </summary>
    private protected uint Activate(long holders)
    {
        long state = Volatile.Read(ref _state);
        Debug.Assert(!FrameState.IsLive(state), "Only a frame with no live use can be activated.");

        // No handle of this generation exists yet, and every handle of an earlier one fails its check, so no other
        // thread changes the word now. A plain release write is enough: it orders the reset fields before the word,
        // and the new handles reach other threads only through their own publication, which happens after it.
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        uint generation = FrameState.Generation(state);
        Volatile.Write(ref _state, FrameState.Make(generation, holders));

        // Opt-in leak tracking remembers where this use started; off, this is one read of a static field.
        if (LeakTracker.IsEnabled)
        {
            LeakTracker.OnUseStarted(this, generation);
        }

        return generation;
    }

    /// <summary>Makes <paramref name="home"/> the pool this frame returns to; called once, by the pool creating it.</summary>
    void IHomedItem.SetHome(IPoolHome home) => Annex.Home = home;

    /// <summary>The annex, created the first time a use needs it (racing creators agree on one).</summary>
    private protected FrameAnnex Annex => _annex ?? CreateAnnex();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private FrameAnnex CreateAnnex()
    {
        var created = new FrameAnnex();
        return Interlocked.CompareExchange(ref _annex, created, null) ?? created;
    }

    // ---- handles: checking ------------------------------------------------------------------------------------

    /// <summary>Whether <paramref name="handle"/> still owns its reference (a misused copy may have released it).</summary>
    private bool Holds(HandleToken handle) =>
        handle.IsPrimary
            ? FrameState.HoldsPrimary(ReadState(), handle.Stamp)
            : _annex is { } annex && annex.Seats.IsHeld(this, handle);

    /// <summary>Throws <see cref="ObjectDisposedException"/> unless <paramref name="handle"/> still owns its reference.</summary>
    private protected void ValidateHeld(HandleToken handle)
    {
        if (!Holds(handle))
        {
            Throw.StaleHandle(this);
        }
    }

    /// <summary>Whether the use <paramref name="handle"/> belongs to has published its outcome; throws if it is stale.</summary>
    internal bool IsCompleted(HandleToken handle)
    {
        // Acquire: seeing Completed makes the outcome, written before the publishing compare-exchange, visible.
        long state = ReadState();
        if (handle.IsPrimary)
        {
            if (!FrameState.HoldsPrimary(state, handle.Stamp))
            {
                Throw.StaleHandle(this);
            }

            return (state & FrameState.Completed) != 0;
        }

        // A held seat proves the use is the seat's, so a word read after the check describes that use (unless a misused
        // copy releases the seat meanwhile; its next step then fails the check).
        if (_annex is not { } annex || !annex.Seats.IsHeld(this, handle))
        {
            Throw.StaleHandle(this);
        }

        return (ReadState() & FrameState.Completed) != 0;
    }

    /// <summary>
    /// Re-checks, after the outcome was read, that <paramref name="handle"/> still holds its reference: a handle that does
    /// not consume its reference (PromisePtr) reads seqlock-style, so a racing misuse that ended the use fails here
    /// instead of returning what the next use wrote.
    /// </summary>
    private protected void RevalidateAfterRead(HandleToken handle)
    {
        // Acquire is not enough: the outcome reads above must not move below this read (a load-load barrier).
        // Interlocked.Read is a full fence.
        bool held;
        if (handle.IsPrimary)
        {
            SchedulingSeam.Point(SeamPoint.FrameStateRead, this);
            held = FrameState.HoldsPrimary(Interlocked.Read(ref _state), handle.Stamp);
        }
        else
        {
            held = _annex is { } annex && annex.Seats.IsStillHeld(this, handle);
        }

        if (!held)
        {
            Throw.StaleHandle(this);
        }
    }

    /// <summary>
    /// What an await that found the operation not completed must be told: that the handle is stale, that another await
    /// of the same handle is registered, or that it simply has not completed.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private protected void ThrowNotCompleted(HandleToken handle)
    {
        long state = ReadState();
        ValidateHeld(handle);
        if (handle.IsPrimary && (state & FrameState.PrimaryWaiting) != 0)
        {
            Throw.AlreadyAwaited(this);
        }

        Throw.NotCompleted();
    }

    // ---- handles: adding a reference --------------------------------------------------------------------------

    /// <summary>A new reference for the holder of <paramref name="holder"/> (Share, Copy): a new seat.</summary>
    internal HandleToken AddReference(HandleToken holder)
    {
        ValidateHeld(holder);
        HandleToken seat = Annex.Seats.Claim(this, counted: false);
        if (!TrySettleNewSeat(seat, requiredGeneration: holder.IsPrimary ? holder.Stamp : null) || !Holds(holder))
        {
            // The holder was released under us (a misused copy): the seat may sit in a use that is not the holder's.
            Release(seat);
            Throw.StaleHandle(this);
        }

        return seat;
    }

    /// <summary>
    /// A new reference to the use of <paramref name="generation"/>, while that use still has <paramref name="requiredPin"/>
    /// (a completion source's Task: the producer must not have disposed). False if it has not (or is stale).
    /// </summary>
    private protected bool TryAddReference(uint generation, long requiredPin, out HandleToken seat)
    {
        seat = Annex.Seats.Claim(this, counted: false);
        if (TrySettleNewSeat(seat, generation))
        {
            long state = ReadState();
            if (FrameState.Generation(state) == generation && (state & requiredPin) != 0)
            {
                return true;
            }
        }

        Release(seat);
        seat = default;
        return false;
    }

    /// <summary>
    /// A new counted reference to the live use of <paramref name="generation"/>, unless every counted reference is gone
    /// (a SingleFlight flight whose callers all left): the check and the increment are one compare-exchange, so nobody
    /// joins a use that is being abandoned.
    /// </summary>
    private protected bool TryAddCountedReference(uint generation, out HandleToken seat)
    {
        Debug.Assert(WatchesHandles, "Only frames that count every seat join by count.");
        long observed = ReadState();
        while (true)
        {
            if (FrameState.Generation(observed) != generation || FrameState.Count(observed) == 0)
            {
                seat = default;
                return false;
            }

            ThrowIfCountFull(observed);

            // Atomicity, not ordering: the caller learned of this use from a shared table, and the count it raises keeps
            // the use (and so the seat claimed below) alive. Relaxed in C++; a full fence here.
            long seen = CompareExchangeState(observed + 1, observed);
            if (seen == observed)
            {
                seat = Annex.Seats.Claim(this, counted: true);
                return true;
            }

            observed = seen;
        }
    }

    /// <summary>
    /// Makes sure a just-claimed seat is accounted for in the use it landed in: counted (no pin is held, or this frame
    /// counts every seat), or left uncounted under a pin with <see cref="FrameState.UncountedSeats"/> set so that the
    /// last pin's release counts it. False if the frame has no live use (of <paramref name="requiredGeneration"/>, when
    /// given); the caller must then release the seat.
    /// </summary>
    private bool TrySettleNewSeat(HandleToken seat, uint? requiredGeneration)
    {
        long observed = ReadState();
        while (true)
        {
            if (!FrameState.IsLive(observed)
                || (requiredGeneration is { } generation && FrameState.Generation(observed) != generation))
            {
                return false;
            }

            long next;
            bool countingIt = WatchesHandles || (observed & (FrameState.Pins & ~FrameState.ScanPin)) == 0;
            if (!countingIt)
            {
                if ((observed & FrameState.UncountedSeats) != 0)
                {
                    // A pin is held and the flag is set: the release of the last pin scans the seats after this read,
                    // so it sees this seat, claimed before it.
                    return true;
                }

                next = observed | FrameState.UncountedSeats;
            }
            else
            {
                ThrowIfCountFull(observed);
                next = observed + 1;
            }

            long seen = CompareExchangeState(next, observed);
            if (seen != observed)
            {
                observed = seen;
                continue;
            }

            if (countingIt && !Annex.Seats.TryMarkCounted(this, seat))
            {
                // A scan counted the seat first (it counts before it marks): drop the count this call added.
                ReleaseCount(1);
            }

            return true;
        }
    }

    // ---- handles: releasing a reference -----------------------------------------------------------------------

    /// <summary>
    /// Drops the reference of <paramref name="handle"/> without reading the outcome (Dispose). Throws
    /// <see cref="ObjectDisposedException"/> when it is already gone, and <see cref="InvalidOperationException"/> when the
    /// primary handle's await is registered (the same handle used twice).
    /// </summary>
    internal void Release(HandleToken handle)
    {
        if (handle.IsPrimary)
        {
            ReleasePrimary(handle.Stamp, consuming: false);
        }
        else
        {
            ReleaseSeat(handle);
        }
    }

    /// <summary>
    /// Drops the primary reference: for Dispose (refused while the primary's await is registered), or for the await
    /// that consumes it (only after completion, and only after the completer took the registered continuation).
    /// </summary>
    private protected void ReleasePrimary(uint generation, bool consuming)
    {
        long observed = ReadState();
        while (true)
        {
            if (!FrameState.HoldsPrimary(observed, generation))
            {
                Throw.StaleHandle(this);
            }

            if ((observed & FrameState.PrimaryWaiting) != 0 && (!consuming || (observed & FrameState.Completed) == 0))
            {
                Throw.AlreadyAwaited(this);
            }

            // Release (C++ fetch_sub(release)): this owner's reads of the outcome happen-before the pin goes, so whoever
            // ends the use cannot clear fields this owner is still reading. If this ends the use, the compare-exchange
            // is also the acquire the ending thread needs to see every other owner's accesses. A full fence gives both.
            long next = Settle(observed & ~(FrameState.PrimaryPin | FrameState.PrimaryWaiting), observed);
            long seen = CompareExchangeState(next, observed);
            if (seen == observed)
            {
                AfterRelease(observed, next);
                return;
            }

            observed = seen;
        }
    }

    /// <summary>Frees the seat of <paramref name="handle"/> and, if it was counted, drops it from the count.</summary>
    private void ReleaseSeat(HandleToken handle)
    {
        bool wasCounted = false;
        if (_annex is not { } annex || !annex.Seats.TryFree(this, handle, out wasCounted))
        {
            Throw.StaleHandle(this);
        }

        if (wasCounted)
        {
            ReleaseCount(1);
        }
    }

    /// <summary>Drops <paramref name="references"/> counted references (seats, registrations).</summary>
    private protected void ReleaseCount(int references) => ReleaseCountAndPin(references, 0);

    /// <summary>Releases a pin its holder knows it holds (the body's owner pin, the scan pin...).</summary>
    private protected void ReleasePin(long pin)
    {
        bool released = TryReleasePin(generation: null, pin);
        Debug.Assert(released, "A pin is released once, by the party that holds it.");
    }

    /// <summary>
    /// Releases <paramref name="pin"/> of the use of <paramref name="generation"/> (any use, when null) if it is still
    /// held; false if it is not (a second Dispose of a completion source, or a stale copy of one).
    /// </summary>
    private protected bool TryReleasePin(uint? generation, long pin)
    {
        long observed = ReadState();
        while (true)
        {
            if ((observed & pin) == 0 || (generation is { } expected && FrameState.Generation(observed) != expected))
            {
                return false;
            }

            // Release, and acquire for the one that ends the use: as in ReleasePrimary.
            long next = Settle(observed & ~pin, observed);
            long seen = CompareExchangeState(next, observed);
            if (seen == observed)
            {
                AfterRelease(observed, next);
                return true;
            }

            observed = seen;
        }
    }

    /// <summary>
    /// The word a release from <paramref name="observed"/> leaves: <paramref name="next"/> as computed; or, when the last
    /// pin went while uncounted seats are live, with the scan pin instead of the flag (those seats get counted); or, when
    /// nothing keeps the use alive, the next generation; or, for a frame that watches its handles, with the abandon pin
    /// when the last handle went before the outcome (so the use outlives the reaction to it).
    /// </summary>
    private long Settle(long next, long observed)
    {
        if ((next & FrameState.Pins) == 0 && (next & FrameState.UncountedSeats) != 0)
        {
            return (next & ~FrameState.UncountedSeats) | FrameState.ScanPin;
        }

        if (FrameState.WouldEnd(next))
        {
            return FrameState.Ended(next);
        }

        if ((next & (FrameState.OwnerPin | FrameState.Completed)) == FrameState.OwnerPin
            && (observed & FrameState.Handles) != 0 && (next & FrameState.Handles) == 0
            && WatchesHandles)
        {
            return next | FrameState.AbandonPin;
        }

        return next;
    }

    /// <summary>What a successful release from <paramref name="before"/> to <paramref name="after"/> leaves to do.</summary>
    private void AfterRelease(long before, long after)
    {
        if (FrameState.HasEnded(after))
        {
            EndUse(retired: FrameState.Generation(after) == FrameState.Generation(before));
        }
        else if ((after & FrameState.ScanPin) != 0 && (before & FrameState.ScanPin) == 0)
        {
            CountUncountedSeats();
        }
        else if ((after & FrameState.AbandonPin) != 0 && (before & FrameState.AbandonPin) == 0)
        {
            // Every handle is gone before the outcome while the owner still works (every caller of a SingleFlight load
            // left). The abandon pin keeps the use, and every per-use field, valid while the frame reacts.
            try
            {
                OnAbandoned();
            }
            finally
            {
                ReleasePin(FrameState.AbandonPin);
            }
        }
    }

    /// <summary>
    /// The scan: the last pin went while seats claimed under it were uncounted. Each is counted (increment first, mark
    /// second, so a concurrent free never drops a count that was not added); the scan pin keeps the use alive meanwhile.
    /// </summary>
    private void CountUncountedSeats()
    {
        FrameAnnex annex = Annex;
        int index = 0;
        while (annex.Seats.TryFindUncounted(this, ref index, out HandleToken seat))
        {
            AddCount();
            if (!annex.Seats.TryMarkCounted(this, seat))
            {
                ReleaseCount(1); // freed meanwhile, or counted by its own claimer: the scan pin keeps the use alive
            }
        }

        ReleasePin(FrameState.ScanPin);
    }

    private void AddCount()
    {
        long observed = ReadState();
        while (true)
        {
            ThrowIfCountFull(observed);
            long seen = CompareExchangeState(observed + 1, observed);
            if (seen == observed)
            {
                return;
            }

            observed = seen;
        }
    }

    private static void ThrowIfCountFull(long state)
    {
        if (FrameState.Count(state) == FrameState.MaxCount)
        {
            Throw.TooManyReferences(FrameState.MaxCount);
        }
    }

    // ---- waiters ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Registers <paramref name="waiter"/> to run when the use of <paramref name="handle"/> completes. False when it will
    /// not be run by completion: the use completed already, or the handle is stale or already awaited (a misuse). The
    /// caller must then schedule the waiter itself; its GetResult reports the outcome or the misuse. Never throws for a
    /// stale handle: an awaiter's OnCompleted must not throw (that would crash a Task-based caller).
    /// </summary>
    internal bool TryRegister(HandleToken handle, Waiter waiter, bool consuming)
    {
        if (consuming && handle.IsPrimary)
        {
            PrimaryRegistration outcome = TryRegisterPrimary(handle.Stamp, waiter);
            if (outcome != PrimaryRegistration.UseList)
            {
                return outcome == PrimaryRegistration.Registered;
            }
        }

        return TryRegisterInList(handle, waiter);
    }

    /// <summary>
    /// The primary handle's consuming await: one compare-exchange sets <see cref="FrameState.PrimaryWaiting"/> (checking
    /// the generation, the pin and that nothing completed, in the same step), then the waiter goes into its own slot.
    /// When other handles exist the primary registers in the list instead, so that waiters resume in registration order.
    /// </summary>
    private PrimaryRegistration TryRegisterPrimary(uint generation, Waiter waiter)
    {
        long observed = ReadState();
        while (true)
        {
            if (!FrameState.HoldsPrimary(observed, generation)
                || (observed & (FrameState.Completed | FrameState.PrimaryWaiting)) != 0)
            {
                return PrimaryRegistration.Refused; // completed, stale, or a second await of this handle
            }

            if (FrameState.Count(observed) != 0 || (observed & FrameState.UncountedSeats) != 0)
            {
                return PrimaryRegistration.UseList;
            }

            // Release: the waiter's own fields (Next, ResumeContext, a frame's saved state machine) are written before
            // this, and the completer reads them after it acquires the word. The slot itself is written after: the flag
            // holds off completion (the completer waits for the slot) and every release of the primary until the
            // completer has read it, so the use cannot end, and the slot cannot be another use's, before that write.
            long seen = CompareExchangeState(observed | FrameState.PrimaryWaiting, observed);
            if (seen == observed)
            {
                // No scheduling point between the flag and the slot: the controlled engines take them as one step (on
                // real threads the completer spins over these few instructions in ReadPrimaryWaiter).
                Volatile.Write(ref _primaryWaiter, waiter);
                return PrimaryRegistration.Registered;
            }

            observed = seen;
        }
    }

    /// <summary>
    /// Any other await (of a seat, or of a PromisePtr): the registrant first counts itself in the state word (checking
    /// that its handle's use is live and not completed), which keeps the use alive until completion takes the list; then
    /// it pushes its node. A handle that turns out stale after counting undoes the count and is refused.
    /// </summary>
    private bool TryRegisterInList(HandleToken handle, Waiter waiter)
    {
        long observed = ReadState();
        while (true)
        {
            bool live = handle.IsPrimary ? FrameState.HoldsPrimary(observed, handle.Stamp) : FrameState.IsLive(observed);
            if (!live || (observed & FrameState.Completed) != 0 || FrameState.Count(observed) == FrameState.MaxCount)
            {
                return false;
            }

            // Atomicity with the checks above is what matters (a release-acquire pair with the completer is made by the
            // push below and its exchange).
            long seen = CompareExchangeState(observed + 1, observed);
            if (seen == observed)
            {
                break;
            }

            observed = seen;
        }

        // A seat is checked after counting: held now means held throughout (a freed seat never gets its ticket back),
        // so the count just added belongs to the seat's own use and the push below lands in that use's list.
        if (!handle.IsPrimary && !(_annex is { } held && held.Seats.IsHeld(this, handle)))
        {
            ReleaseCount(1);
            return false;
        }

        FrameAnnex annex = Annex;
        SchedulingSeam.Point(SeamPoint.WaiterSlotRead, this);
        Waiter? head = Volatile.Read(ref annex.ListHead);
        while (true)
        {
            if (ReferenceEquals(head, s_closed))
            {
                // Completion published the outcome, then took the list, between this registration's count and its push.
                // The outcome is visible (it was published before the list closed): undo the count and let the caller
                // schedule the waiter, unlinked (a link left from a failed push would make its scheduler run another
                // waiter too).
                waiter.Next = null;
                ReleaseCount(1);
                return false;
            }

            waiter.Next = head;

            // Release: the node's fields (Next, ResumeContext, a frame's saved state machine) are visible to the
            // completer, whose exchange (acquire) takes the list.
            SchedulingSeam.Point(SeamPoint.WaiterSlotUpdate, this);
            Waiter? seen = Interlocked.CompareExchange(ref annex.ListHead, waiter, head);
            if (seen == head)
            {
                return true;
            }

            head = seen;
        }
    }

    // ---- completion -------------------------------------------------------------------------------------------

    /// <summary>
    /// Claims the right to complete the use of <paramref name="generation"/> for a completer that is not the owner
    /// (a completion source's TrySet): one compare-exchange checks that the owner still holds its pin and that nobody
    /// claimed first, and sets the completer's pin, so the use cannot end while the outcome is written. No reference is
    /// taken, so a claim never fails for a full count.
    /// </summary>
    private protected bool TryClaimCompletion(uint generation, long completerPin)
    {
        long observed = ReadState();
        while (true)
        {
            if (FrameState.Generation(observed) != generation
                || (observed & FrameState.OwnerPin) == 0
                || (observed & FrameState.CompletionClaimed) != 0)
            {
                return false;
            }

            // Claiming publishes nothing (the outcome is written after it and published by Publish).
            long seen = CompareExchangeState(observed | FrameState.CompletionClaimed | completerPin, observed);
            if (seen == observed)
            {
                return true;
            }

            observed = seen;
        }
    }

    /// <summary>Whether completion of the use of <paramref name="generation"/> was claimed (or the use is over).</summary>
    private protected bool IsCompletionClaimed(uint generation)
    {
        long state = ReadState();
        return FrameState.Generation(state) != generation || (state & FrameState.CompletionClaimed) != 0;
    }

    /// <summary>Whether <paramref name="pin"/> of the use of <paramref name="generation"/> is gone (or the use is over).</summary>
    private protected bool IsPinReleased(uint generation, long pin)
    {
        long state = ReadState();
        return FrameState.Generation(state) != generation || (state & pin) == 0;
    }

    /// <summary>
    /// Publishes the outcome the caller wrote, releases <paramref name="pin"/> (the completer's, or 0 to keep it), and
    /// resumes every waiter that registered before. The caller holds a pin, so the use is live on entry; nothing here
    /// touches the frame after the compare-exchange that may end the use, and a continuation that throws cannot leave
    /// a reference behind: every count is settled before any waiter runs. With <paramref name="asynchronously"/> (a
    /// completion source created with RunContinuationsAsynchronously) no waiter runs on this thread.
    /// </summary>
    private protected void Publish(long pin, bool asynchronously)
    {
        Waiter? primary = null;
        long required = pin == 0 ? FrameState.OwnerPin : pin;
        long observed = ReadState();
        while (true)
        {
            if ((observed & required) == 0 || (observed & FrameState.Completed) != 0)
            {
                // Only a misused builder copy completing the same use twice gets here: its outcome write stayed within
                // its own operation, and refusing now keeps every waiter from being resumed twice.
                Throw.BuilderAlreadyCompleted();
            }

            if ((observed & FrameState.PrimaryWaiting) != 0 && primary is null)
            {
                // The registrant writes the slot right after the compare-exchange that set the flag; the flag holds the
                // use (completion and the primary's release both wait for this read), so the slot is this use's.
                primary = ReadPrimaryWaiter();
            }

            // With no counted reference there is no list waiter: publish and release the pin in one step. Otherwise
            // publish first and keep the pin: from here on a registration is refused when it counts itself, and one
            // that counted before finds the list closed below, with the outcome already visible.
            bool listMayHoldWaiters = FrameState.Count(observed) != 0;
            long next = listMayHoldWaiters
                ? observed | FrameState.Completed
                : Settle((observed | FrameState.Completed) & ~pin, observed);

            // Release: the outcome written by this thread is visible to any thread that later sees Completed.
            long seen = CompareExchangeState(next, observed);
            if (seen != observed)
            {
                observed = seen;
                continue;
            }

            if (!listMayHoldWaiters)
            {
                AfterRelease(observed, next);
                SchedulingSeam.Point(SeamPoint.Resume, this);
                Continuations.ResumeAll(primary, null, asynchronously); // the use may have ended: nothing touches the frame now
                return;
            }

            break;
        }

        // The pin still holds the use. Take the list and close it (acquire: the nodes' fields, written before their
        // registrations, are visible here); the waiters hand their counts to this step, which drops them with the pin.
        Waiter? taken = null;
        int takenCount = 0;
        if (_annex is { } annex)
        {
            SchedulingSeam.Point(SeamPoint.WaiterSlotUpdate, this);
            taken = Interlocked.Exchange(ref annex.ListHead, s_closed);
            for (Waiter? node = taken; node is not null; node = node.Next)
            {
                takenCount++;
            }
        }

        ReleaseCountAndPin(takenCount, pin);
        SchedulingSeam.Point(SeamPoint.Resume, this);

        // From here on nothing touches the frame: the use may already have ended. The primary waiter registered before
        // any list waiter (it uses its slot only when no other handle existed), so it resumes first.
        Continuations.ResumeAll(primary, taken, asynchronously);
    }

    /// <summary>Drops <paramref name="references"/> counted references and <paramref name="pin"/> (0: none) in one step.</summary>
    private void ReleaseCountAndPin(int references, long pin)
    {
        long observed = ReadState();
        while (true)
        {
            // Release, and acquire for the one that ends the use: as in ReleasePrimary.
            long next = Settle((observed - references) & ~pin, observed);
            long seen = CompareExchangeState(next, observed);
            if (seen == observed)
            {
                AfterRelease(observed, next);
                return;
            }

            observed = seen;
        }
    }

    private Waiter ReadPrimaryWaiter()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            SchedulingSeam.Point(SeamPoint.WaiterSlotRead, this);
            if (Volatile.Read(ref _primaryWaiter) is { } waiter)
            {
                return waiter;
            }

            SchedulingSeam.Point(SeamPoint.SpinWait, this);
            spinner.SpinOnce();
        }
    }

    // ---- the end of a use -------------------------------------------------------------------------------------

    /// <summary>
    /// Runs on the one thread whose compare-exchange ended the use: clears what the use left and returns the frame to
    /// the pool it came from (once per use), unless it is retired at the last generation.
    /// </summary>
    private void EndUse(bool retired)
    {
        // No reference, pin or seat is left and the generation has advanced, so no handle can read or register any
        // more: this thread owns every field. The pool's return releases these writes to whoever rents the frame next.
        if (LeakTracker.HasEverBeenEnabled)
        {
            LeakTracker.OnUseEnded(this);
        }

        _primaryWaiter = null;
        IPoolHome? home = null;
        if (_annex is { } annex)
        {
            annex.Exception = null;
            annex.Faults = null;
            annex.ListHead = null;
            home = annex.Home;
        }

        ResetForNextUse();
        if (retired)
        {
            return;
        }

        if (home is null)
        {
            ReturnToPool();
        }
        else
        {
            home.Return(this);
        }
    }

    /// <summary>
    /// Clears what the finished use left in the derived frame (its result, state machine, key...). Overrides call the
    /// base method.
    /// </summary>
    private protected abstract void ResetForNextUse();

    /// <summary>Returns this frame to the pool of its exact type.</summary>
    private protected abstract void ReturnToPool();

    /// <summary>
    /// Every handle went before the outcome while the owner still works; called on the thread that released the last one,
    /// only for frames that <see cref="WatchesHandles"/>, with the abandon pin held.
    /// </summary>
    private protected virtual void OnAbandoned()
    {
    }

    /// <summary>Names what the frame runs in the words a user knows (leak reports, misuse messages).</summary>
    internal abstract string Describe();

    uint ITrackedFrame.Generation => Generation;

    bool ITrackedFrame.IsLive => IsLive;

    int ITrackedFrame.OutstandingHandles => OutstandingHandles;

    Type ITrackedFrame.ResultType => ResultType;

    string ITrackedFrame.Describe() => Describe();

    // ---- tests ------------------------------------------------------------------------------------------------

    /// <summary>Tests: moves a pooled frame's generation, to reach retirement without four billion uses.</summary>
    internal void SetGenerationForTesting(uint generation)
    {
        if (FrameState.IsLive(Volatile.Read(ref _state)))
        {
            throw new InvalidOperationException("Only a pooled frame's generation can be moved.");
        }

        Volatile.Write(ref _state, FrameState.Make(generation, 0));
    }

    /// <summary>Tests: sets the counted references of a live use, to reach the overflow check.</summary>
    internal void SetCountForTesting(int count)
    {
        long state = Volatile.Read(ref _state);
        Volatile.Write(ref _state, (state & ~FrameState.CountMask) | (uint)count);
    }

    private enum PrimaryRegistration
    {
        Registered,
        Refused,
        UseList,
    }

    /// <summary>The closed-list sentinel's type: it is never run, and says so if anything tries.</summary>
    private sealed class ClosedListSentinel : Waiter
    {
        internal override void Run() => throw new InvalidOperationException("The closed-list sentinel is not a continuation.");

        public override string ToString() => "closed";
    }
}
