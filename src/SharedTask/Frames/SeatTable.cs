using System.Runtime.CompilerServices;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// The seats of one frame: one 64-bit entry per reference beyond the primary one, so that each such reference is known
/// individually (see <see cref="HandleToken"/>). Lives in the frame's <see cref="FrameAnnex"/> and is kept across uses.
/// </summary>
/// <remarks>
/// <code>
/// bits 63..32  ticket: the seat's stamp; it advances each time the seat is freed (a freed seat's handles never match again)
/// bit  2       retired: the ticket reached its maximum; the seat is never claimed again
/// bit  1       counted: the seat's reference is counted in the frame's state word (see FrameCore's seat protocol)
/// bit  0       live: claimed by a handle
/// </code>
/// Entries sit in segments of 64; the directory of segments is replaced (never edited) when it grows, and a segment
/// never moves, so an entry can be changed by compare-exchange through whichever directory a thread read.
/// Seat numbers start at 1 (0 names the primary reference): seat s is entry s - 1.
/// </remarks>
internal struct SeatTable
{
    internal const long Live = 1;
    internal const long Counted = 2;
    internal const long Retired = 4;

    private const int SegmentShift = 6;
    private const int SegmentSize = 1 << SegmentShift;

    /// <summary>The segments; written only by compare-exchange with a one-longer copy.</summary>
    private long[][] _segments;

    /// <summary>Where the next claim starts looking: a hint, so racing plain writes are harmless.</summary>
    private int _hint;

    /// <summary>A table with one empty segment.</summary>
    internal static SeatTable Create() => new() { _segments = [new long[SegmentSize]] };

    /// <summary>Claims a free seat for a new reference (marked counted or not) and returns its handle token.</summary>
    internal HandleToken Claim(object frame, bool counted)
    {
        while (true)
        {
            long[][] segments = Volatile.Read(ref _segments);
            int total = segments.Length << SegmentShift;
            int start = (uint)_hint < (uint)total ? _hint : 0;
            for (int n = 0; n < total; n++)
            {
                int index = start + n < total ? start + n : start + n - total;
                ref long entry = ref segments[index >> SegmentShift][index & (SegmentSize - 1)];
                SchedulingSeam.Point(SeamPoint.SeatRead, frame);
                long observed = Volatile.Read(ref entry);
                if ((observed & (Live | Retired)) != 0)
                {
                    continue;
                }

                // Claiming publishes nothing: the handle made from this seat reaches other threads only through its own
                // publication. The compare-exchange makes the claim exclusive against other claimers.
                SchedulingSeam.Point(SeamPoint.SeatUpdate, frame);
                long claimed = observed | Live | (counted ? Counted : 0);
                if (Interlocked.CompareExchange(ref entry, claimed, observed) == observed)
                {
                    _hint = index + 1;
                    return new HandleToken((uint)index + 1, Ticket(observed));
                }
            }

            Grow(segments);
        }
    }

    /// <summary>
    /// Frees the seat of <paramref name="token"/> if it is still that handle's (same ticket, live): false when the
    /// seat was already freed (a double release or a stale copy). <paramref name="wasCounted"/> says whether the freed
    /// reference was counted in the state word, so the caller must drop it there.
    /// </summary>
    internal bool TryFree(object frame, HandleToken token, out bool wasCounted)
    {
        wasCounted = false;
        if (!TryGetEntry(token.Seat, out long[]? segment, out int slot))
        {
            return false;
        }

        ref long entry = ref segment[slot];
        SchedulingSeam.Point(SeamPoint.SeatRead, frame);
        long observed = Volatile.Read(ref entry);
        while (true)
        {
            if (!Holds(observed, token))
            {
                return false;
            }

            // Release: this handle's reads of the outcome happen-before the seat is free, so a later claimer's use of
            // the frame cannot overlap them. A full fence in .NET.
            long freed = token.Stamp == uint.MaxValue
                ? ((long)token.Stamp << 32) | Retired
                : (long)(token.Stamp + 1) << 32;
            SchedulingSeam.Point(SeamPoint.SeatUpdate, frame);
            long seen = Interlocked.CompareExchange(ref entry, freed, observed);
            if (seen == observed)
            {
                wasCounted = (observed & Counted) != 0;
                int index = (int)token.Seat - 1;
                if (index < _hint)
                {
                    _hint = index;
                }

                return true;
            }

            observed = seen;
        }
    }

    /// <summary>
    /// Marks the live, uncounted seat of <paramref name="token"/> as counted: false if it is not (freed, or counted by
    /// somebody else first). Exactly one party marks a seat, and only that party may add it to the count.
    /// </summary>
    internal bool TryMarkCounted(object frame, HandleToken token)
    {
        if (!TryGetEntry(token.Seat, out long[]? segment, out int slot))
        {
            return false;
        }

        ref long entry = ref segment[slot];
        SchedulingSeam.Point(SeamPoint.SeatRead, frame);
        long observed = Volatile.Read(ref entry);
        if (!Holds(observed, token) || (observed & Counted) != 0)
        {
            return false;
        }

        SchedulingSeam.Point(SeamPoint.SeatUpdate, frame);
        return Interlocked.CompareExchange(ref entry, observed | Counted, observed) == observed;
    }

    /// <summary>Whether the seat of <paramref name="token"/> is still that handle's.</summary>
    internal readonly bool IsHeld(object frame, HandleToken token)
    {
        if (!TryGetEntry(token.Seat, out long[]? segment, out int slot))
        {
            return false;
        }

        SchedulingSeam.Point(SeamPoint.SeatRead, frame);
        return Holds(Volatile.Read(ref segment[slot]), token);
    }

    /// <summary>
    /// Like <see cref="IsHeld"/>, with a full fence before the read: a reader that read the outcome first (seqlock
    /// style) must not have those reads move below this check.
    /// </summary>
    internal readonly bool IsStillHeld(object frame, HandleToken token)
    {
        if (!TryGetEntry(token.Seat, out long[]? segment, out int slot))
        {
            return false;
        }

        SchedulingSeam.Point(SeamPoint.SeatRead, frame);
        return Holds(Interlocked.Read(ref segment[slot]), token);
    }

    /// <summary>
    /// Finds the next live seat that is not counted yet, from entry <paramref name="index"/> on (the scan when the last
    /// pin goes); advances <paramref name="index"/> past it. False when there is none.
    /// </summary>
    internal readonly bool TryFindUncounted(object frame, ref int index, out HandleToken token)
    {
        long[][] segments = Volatile.Read(ref Unsafe.AsRef(in _segments));
        for (; index < segments.Length << SegmentShift; index++)
        {
            SchedulingSeam.Point(SeamPoint.SeatRead, frame);
            long observed = Volatile.Read(ref segments[index >> SegmentShift][index & (SegmentSize - 1)]);
            if ((observed & (Live | Counted)) == Live)
            {
                token = new HandleToken((uint)index + 1, Ticket(observed));
                index++;
                return true;
            }
        }

        token = default;
        return false;
    }

    /// <summary>Diagnostics and tests: how many seats are live (a moment's snapshot; none once a use ended).</summary>
    internal readonly int CountLive()
    {
        int live = 0;
        foreach (long[] segment in Volatile.Read(ref Unsafe.AsRef(in _segments)))
        {
            foreach (long entry in segment)
            {
                live += (int)(Volatile.Read(ref Unsafe.AsRef(in entry)) & Live);
            }
        }

        return live;
    }

    private static uint Ticket(long entry) => (uint)((ulong)entry >> 32);

    private static bool Holds(long entry, HandleToken token) => (entry & Live) != 0 && Ticket(entry) == token.Stamp;

    private readonly bool TryGetEntry(uint seat, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out long[]? segment, out int slot)
    {
        long[][] segments = Volatile.Read(ref Unsafe.AsRef(in _segments));
        int index = (int)seat - 1;
        if (seat == 0 || index >> SegmentShift >= segments.Length)
        {
            segment = null;
            slot = 0;
            return false;
        }

        segment = segments[index >> SegmentShift];
        slot = index & (SegmentSize - 1);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(long[][] seen)
    {
        // Racing growers: one replacement wins, the others retry against it (their segment is garbage, a one-off).
        var grown = new long[seen.Length + 1][];
        Array.Copy(seen, grown, seen.Length);
        grown[^1] = new long[SegmentSize];
        Interlocked.CompareExchange(ref _segments, grown, seen);
    }
}
