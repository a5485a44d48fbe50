using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Diagnostics.LeakTracking;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// The part of a frame that does not depend on the result type: the state word (generation and reference count),
/// the waiter list, and the stored exception. This is where the invariants of DESIGN.md are kept.
/// </summary>
/// <remarks>
/// Memory ordering. The C++ <c>promise_ptr</c> design (and Rust's <c>Arc</c>) needs: a relaxed increment, a
/// release decrement, and an acquire before the frame is destroyed by the last decrement. Every
/// <see cref="Interlocked"/> operation in .NET is a full fence (dotnet/runtime docs/design/specs/Memory-model.md),
/// so each site below gets at least what it needs; the comments say which half each site relies on.
/// </remarks>
internal abstract class FrameCore : Waiter
{
    /// <summary>Named sentinel for "completed": once in <see cref="_waiters"/>, it stays until the frame is recycled.</summary>
    private static readonly object s_completed = new CompletedSentinel();

    /// <summary>
    /// Generation, flags and reference count (see <see cref="FrameState"/>). Changed only by compare-exchange or
    /// exchange; read with <see cref="Volatile"/>.
    /// </summary>
    private long _state;

    /// <summary>
    /// The waiter slot: null (running, nobody waiting), <see cref="s_completed"/> (completed), or the head of a LIFO
    /// list of <see cref="Waiter"/>s linked through <see cref="Waiter.Next"/>. Registrations CAS a node in; completion
    /// exchanges in the sentinel exactly once per use; recycling writes null back while no reference exists.
    /// </summary>
    private object? _waiters;

    /// <summary>
    /// The exception of a faulted or canceled operation. Written once by the completing thread before completion is
    /// published; read only after completion is observed; cleared by recycling.
    /// </summary>
    private protected ExceptionDispatchInfo? _exception;

    /// <summary>The generation handles issued now carry (meaningful while the caller owns a reference).</summary>
    internal uint Generation => FrameState.Generation(ReadState());

    /// <summary>The current reference count (diagnostics and tests only: it can change right after the read).</summary>
    internal int ReferenceCount => FrameState.Count(ReadState());

    // ---- state word ------------------------------------------------------------------------------------------

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
    /// Starts a new use of a freshly rented frame with <paramref name="references"/> owners and returns the
    /// generation the new handles carry.
    /// </summary>
    private protected uint Activate(int references)
    {
        long state = ReadState();
        // The frame came from the pool as (generation g, count 0), and no handle of generation g exists before this
        // write: every other handle fails its generation check, and every compare-exchange requires a non-zero count,
        // so no other thread can change the word now. A plain release write is enough (no interlocked operation): it
        // orders the reset fields before the word, and the new handles reach other threads only through their own
        // publication, which happens after it.
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        Volatile.Write(ref _state, FrameState.Make(FrameState.Generation(state), references));
        uint generation = FrameState.Generation(state);

        // Opt-in leak tracking remembers where this use started; off, this is one read of a static field.
        if (LeakTracker.IsEnabled)
        {
            LeakTracker.OnUseStarted(this, generation);
        }

        return generation;
    }

    /// <summary>Whether <paramref name="state"/> is a live use of <paramref name="generation"/> (same generation, count above 0).</summary>
    private static bool IsLive(long state, uint generation) =>
        FrameState.Generation(state) == generation && FrameState.Count(state) != 0;

    /// <summary>Adds one reference for the owner of a reference of <paramref name="generation"/> (Share, Copy).</summary>
    internal void AddReference(uint generation)
    {
        // C++ needs only a relaxed increment here (as Arc::clone): the caller already owns a reference, so the frame
        // cannot be recycled during this call and the increment publishes nothing. What the compare-exchange inside
        // gives is atomicity, not ordering: see TryAddReference.
        if (!TryAddReference(generation, refusingFlags: 0, settingFlags: 0))
        {
            Throw.StaleHandle(this);
        }
    }

    /// <summary>
    /// Completion sources: adds a reference for a new consumer handle, only while the producer still holds its own
    /// (so every handle a source gives out is live). False if the producer disposed or the source is stale.
    /// </summary>
    private protected bool TryAddReferenceForProducer(uint generation) =>
        TryAddReference(generation, refusingFlags: FrameState.ProducerReleasedBit, settingFlags: 0);

    /// <summary>
    /// Completion sources: claims the right to complete this use and takes a reference for the completer, which it
    /// releases after publishing. False if another TrySet won, the producer already disposed, or the source is stale.
    /// </summary>
    /// <remarks>
    /// Claiming publishes nothing (the result is written after the claim and published by the waiter-slot exchange);
    /// one compare-exchange makes "check generation, check unclaimed, claim" one step so that exactly one TrySet wins.
    /// The completer's reference is needed because the producer's alone does not keep the frame alive: the source's
    /// owner may Dispose it (and every consumer may let go) while a TrySet on another thread is still writing, and the
    /// frame would be recycled under that write (found by tests/Concurrency, CompletionSourceTrySetRacesDispose).
    /// </remarks>
    private protected bool TryClaimCompletion(uint generation) =>
        TryAddReference(
            generation,
            refusingFlags: FrameState.CompletionClaimedBit | FrameState.ProducerReleasedBit,
            settingFlags: FrameState.CompletionClaimedBit);

    /// <summary>
    /// Adds one reference to the live use of <paramref name="generation"/> and sets <paramref name="settingFlags"/>,
    /// unless the use is over or any of <paramref name="refusingFlags"/> is set (then false, nothing changed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryAddReference(uint generation, long refusingFlags, long settingFlags)
    {
        long observed = ReadState();
        while (true)
        {
            if (!IsLive(observed, generation) || (observed & refusingFlags) != 0)
            {
                return false;
            }

            if (FrameState.Count(observed) == FrameState.MaxCount)
            {
                Throw.TooManyReferences();
            }

            // One compare-exchange checks the generation and the flags and changes the count: were they separate
            // steps, a handle whose frame was recycled in between would resurrect a zero count on someone else's
            // operation, or two TrySet calls could both claim.
            long seen = CompareExchangeState((observed | settingFlags) + 1, observed);
            if (seen == observed)
            {
                return true;
            }

            observed = seen;
        }
    }

    /// <summary>
    /// Drops one reference of <paramref name="generation"/>; the last one recycles the frame. Throws
    /// <see cref="ObjectDisposedException"/> when the handle's frame was already released (stale or double release).
    /// </summary>
    internal void Release(uint generation)
    {
        if (!TryRelease(generation, refusingFlags: 0, settingFlags: 0))
        {
            Throw.StaleHandle(this);
        }
    }

    /// <summary>Whether completion of this use was claimed (the source is completed or completing).</summary>
    private protected bool IsCompletionClaimed(uint generation)
    {
        long state = ReadState();
        return FrameState.Generation(state) != generation || (state & FrameState.CompletionClaimedBit) != 0;
    }

    /// <summary>Whether the producer's reference is gone (disposed, or the use is over and the frame recycled).</summary>
    private protected bool IsProducerReleased(uint generation)
    {
        long state = ReadState();
        return FrameState.Generation(state) != generation || (state & FrameState.ProducerReleasedBit) != 0;
    }

    /// <summary>
    /// Completion sources: drops the producer's reference once. False if it was already dropped or the source is
    /// stale (in both cases the producer's reference is gone, so a second Dispose is a no-op).
    /// </summary>
    private protected bool TryReleaseProducer(uint generation) =>
        TryRelease(generation, refusingFlags: FrameState.ProducerReleasedBit, settingFlags: FrameState.ProducerReleasedBit);

    /// <summary>
    /// Drops one reference of the live use of <paramref name="generation"/> and sets <paramref name="settingFlags"/>,
    /// unless the use is over or any of <paramref name="refusingFlags"/> is set (then false, nothing changed). The
    /// last reference recycles the frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryRelease(uint generation, long refusingFlags, long settingFlags)
    {
        long observed = ReadState();
        while (true)
        {
            if (!IsLive(observed, generation) || (observed & refusingFlags) != 0)
            {
                return false;
            }

            bool last = FrameState.Count(observed) == 1;
            long next = last ? ReleasedState(observed) : (observed - 1) | settingFlags;

            // Every decrement must be a release (C++ fetch_sub(release)): this owner's reads of the result and
            // exception happen-before the count falls, so whoever drops the last reference and recycles cannot clear
            // fields this owner is still reading. The last decrement must also acquire (C++: acquire fence before
            // delete): it must see every other owner's accesses before it resets the frame. The full-fence
            // compare-exchange gives both. The last release also advances the generation in the same step, so from
            // this instant every outstanding handle of this use fails its check (invariant 3).
            long seen = CompareExchangeState(next, observed);
            if (seen == observed)
            {
                if (last)
                {
                    // Invariant 4: nothing touches the frame after the step that may drop the last reference, except
                    // the one thread that dropped it, here.
                    Recycle(retired: FrameState.Generation(next) == generation);
                }

                return true;
            }

            observed = seen;
        }
    }

    /// <summary>The word after the last release: next generation, count 0, flags clear; or retired at the maximum.</summary>
    private static long ReleasedState(long observed)
    {
        uint generation = FrameState.Generation(observed);
        return generation == uint.MaxValue
            ? FrameState.Make(generation, 0) // retired: count stays 0 for this generation forever
            : FrameState.Make(generation + 1, 0);
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> unless a reference of <paramref name="generation"/> is live.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void ValidateGeneration(uint generation)
    {
        if (!IsLive(ReadState(), generation))
        {
            Throw.StaleHandle(this);
        }
    }

    /// <summary>
    /// Re-checks, after reading the result, that the use is still live: a handle that does not consume its reference
    /// (PromisePtr) reads seqlock-style, so a racing misuse that recycled the frame fails instead of returning what
    /// the next use wrote.
    /// </summary>
    private protected void RevalidateAfterRead(uint generation)
    {
        // Acquire is not enough here: the result reads above must not move below this read (a load-load barrier the
        // seqlock reader needs). Interlocked.Read is a full fence on every platform.
        SchedulingSeam.Point(SeamPoint.FrameStateRead, this);
        if (!IsLive(Interlocked.Read(ref _state), generation))
        {
            Throw.StaleHandle(this);
        }
    }

    // ---- waiter slot -----------------------------------------------------------------------------------------

    private object? ReadWaiters()
    {
        SchedulingSeam.Point(SeamPoint.WaiterSlotRead, this);
        return Volatile.Read(ref _waiters);
    }

    /// <summary>Whether this use has published its completion; throws if the handle is stale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsCompleted(uint generation)
    {
        ValidateGeneration(generation);

        // Acquire: seeing the sentinel makes the result and exception, written before the publishing exchange,
        // visible to this thread.
        return ReadWaiters() == s_completed;
    }

    /// <summary>
    /// Links <paramref name="waiter"/> into the waiter list, capturing the resume context when asked. False when
    /// the use completed first; then the caller must schedule the waiter.
    /// </summary>
    internal bool TryRegister(uint generation, Waiter waiter, bool continueOnCapturedContext)
    {
        ValidateGeneration(generation);
        waiter.ResumeContext = continueOnCapturedContext ? Continuations.CaptureResumeContext() : null;

        object? observed = ReadWaiters();
        while (true)
        {
            // The re-check for completion on every attempt is what prevents a lost wake-up: completion may have been
            // published between our first read and the CAS, and then nobody would ever walk a list we add to.
            if (observed == s_completed)
            {
                waiter.Next = null;
                return false;
            }

            waiter.Next = Unsafe.As<Waiter?>(observed);

            // Release: the node's fields (Next, ResumeContext, and for a frame its saved state machine) are
            // visible to the completing thread, whose exchange (acquire) takes the list. A full fence in .NET.
            SchedulingSeam.Point(SeamPoint.WaiterSlotUpdate, this);
            object? seen = Interlocked.CompareExchange(ref _waiters, waiter, observed);
            if (seen == observed)
            {
                return true;
            }

            observed = seen;
        }
    }

    /// <summary>
    /// Publishes completion (invariant 5: the one place it happens, after the result was written) and resumes
    /// every waiter that registered before it.
    /// </summary>
    private protected void PublishCompletion()
    {
        // Release: the result and exception written by this thread are visible to any thread that later sees the
        // sentinel. Acquire: every node's fields written before its registering CAS are visible to this thread.
        // The exchange takes the whole list at once (invariant 4): after it, no registration can reach this list.
        SchedulingSeam.Point(SeamPoint.WaiterSlotUpdate, this);
        object? taken = Interlocked.Exchange(ref _waiters, s_completed);
        if (taken is not null)
        {
            Continuations.ResumeAll(Unsafe.As<Waiter>(taken));
        }
    }

    // ---- recycling -------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs on the one thread that dropped the last reference: clears the use's fields and returns the frame to the
    /// pool it came from (invariant 1: once per use), unless the frame is retired.
    /// </summary>
    private void Recycle(bool retired)
    {
        // No reference exists and the generation has advanced, so no handle can read or register any more; this
        // thread owns every field. The pool's return (an interlocked publication inside the pool) releases these
        // writes to whoever rents the frame next.
        if (LeakTracker.HasEverBeenEnabled)
        {
            // The use ended properly: forget where it started, so the frame's collection is not reported.
            LeakTracker.OnUseEnded(this);
        }

        _waiters = null;
        _exception = null;
        ClearUse();
        if (!retired)
        {
            ReturnToPool();
        }
    }

    /// <summary>Clears the result and anything else the finished use left behind.</summary>
    private protected abstract void ClearUse();

    /// <summary>Returns this frame to the pool of its exact type.</summary>
    private protected abstract void ReturnToPool();

    /// <summary>Tests: moves a pooled frame's generation, to reach retirement without four billion uses.</summary>
    internal void SetGenerationForTesting(uint generation)
    {
        long state = Volatile.Read(ref _state);
        if (FrameState.Count(state) != 0)
        {
            throw new InvalidOperationException("Only a pooled frame's generation can be moved.");
        }

        Volatile.Write(ref _state, FrameState.Make(generation, 0));
    }

    /// <summary>Tests: sets the count of a live use, to reach the overflow check without a billion references.</summary>
    internal void SetReferenceCountForTesting(uint generation, int count)
    {
        long state = Volatile.Read(ref _state);
        if (!IsLive(state, generation))
        {
            throw new InvalidOperationException("Only a live use's count can be set.");
        }

        Volatile.Write(ref _state, (state & ~FrameState.CountMask) | (uint)count);
    }

    /// <summary>The completed sentinel's type: it is never run, and says so if anything tries.</summary>
    private sealed class CompletedSentinel : Waiter
    {
        internal override void Run() => throw new InvalidOperationException("The completed sentinel is not a continuation.");

        public override string ToString() => "completed";
    }
}
