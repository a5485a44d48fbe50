namespace SharedTask.Frames;

/// <summary>
/// The encoding of a frame's one 64-bit state word: which use the frame serves (its generation), who keeps that use
/// alive (pins and a count), and whether its outcome is published. Everything a handle must check before it touches
/// the frame sits in this one word, so that checking and changing it is one compare-exchange: a recycle can never slip
/// between the check and the change (ABA).
/// </summary>
/// <remarks>
/// <code>
/// bits 63..32  generation: advances when a use ends; a primary handle carries the one it was issued for
/// bit  31      Completed          the outcome is written and published (set once per use)
/// bit  30      OwnerPin           the party that completes the use: the running method body, a completion source's
///                                 producer (until Dispose), a SingleFlight flight's driver, a caller's decision
/// bit  29      CompleterPin       a completion source's TrySet is writing the outcome (its producer may Dispose meanwhile)
/// bit  28      RegistrationPin    a SingleFlight caller's token registration may still call back
/// bit  27      PrimaryPin         the primary handle (the one an async method or FromException returns) is held
/// bit  26      PrimaryWaiting     the primary handle's consuming await left its continuation in the primary waiter slot
/// bit  25      ScanPin            the last pin went while uncounted seats were live: they are being counted
/// bit  24      UncountedSeats     seats were claimed while pinned and not counted: a scan is owed when the pins go
/// bit  23      CompletionClaimed  a completer won the right to complete (completion sources)
/// bit  22      AbandonPin         the last handle went before the outcome and the frame is reacting (SingleFlight)
/// bits 21..0   count              counted references: counted seats and registered list waiters
/// </code>
/// <para>A use is <em>live</em> while any pin is held or the count is above zero. It ends in the compare-exchange that
/// leaves it with no pin, a zero count and no uncounted seats: that compare-exchange writes the next generation with
/// every other bit clear, and the thread that made it recycles the frame (see FrameCore.EndUse). Because the owner pin
/// is held until completion, a use always completes before it ends, so its waiter list is always drained.</para>
/// <para>A generation never wraps: a frame whose use ends at <see cref="uint.MaxValue"/> is retired (left to the
/// garbage collector) instead of going back to its pool, so a stale handle can never match a reused frame.</para>
/// </remarks>
internal static class FrameState
{
    internal const long Completed = 1L << 31;
    internal const long OwnerPin = 1L << 30;
    internal const long CompleterPin = 1L << 29;
    internal const long RegistrationPin = 1L << 28;
    internal const long PrimaryPin = 1L << 27;
    internal const long PrimaryWaiting = 1L << 26;
    internal const long ScanPin = 1L << 25;
    internal const long UncountedSeats = 1L << 24;
    internal const long CompletionClaimed = 1L << 23;
    internal const long AbandonPin = 1L << 22;
    internal const long CountMask = (1L << 22) - 1;

    /// <summary>Every bit that keeps a use alive by itself.</summary>
    internal const long Pins = OwnerPin | CompleterPin | RegistrationPin | PrimaryPin | ScanPin | AbandonPin;

    /// <summary>What a handle holds: the primary pin or a counted reference (a seat or a registered waiter).</summary>
    internal const long Handles = PrimaryPin | CountMask;

    /// <summary>The largest count; one more is an <see cref="OverflowException"/>, never a wrap.</summary>
    internal const int MaxCount = (int)CountMask;

    internal static uint Generation(long state) => (uint)((ulong)state >> 32);

    internal static int Count(long state) => (int)(state & CountMask);

    internal static long Make(uint generation, long bits) => ((long)generation << 32) | bits;

    /// <summary>Whether the use <paramref name="state"/> describes is live: pinned, or counted references remain.</summary>
    internal static bool IsLive(long state) => (state & (Pins | CountMask)) != 0;

    /// <summary>Whether <paramref name="state"/> holds the primary handle of the use of <paramref name="generation"/>.</summary>
    internal static bool HoldsPrimary(long state, uint generation) =>
        Generation(state) == generation && (state & PrimaryPin) != 0;

    /// <summary>Whether <paramref name="state"/> is a live use of <paramref name="generation"/>.</summary>
    internal static bool IsLiveUse(long state, uint generation) => Generation(state) == generation && IsLive(state);

    /// <summary>Whether the use would end in <paramref name="state"/>: nothing keeps it alive and no seat count is owed.</summary>
    internal static bool WouldEnd(long state) => (state & (Pins | CountMask | UncountedSeats)) == 0;

    /// <summary>Whether <paramref name="state"/> is the word of an ended use (or of a frame with no use).</summary>
    internal static bool HasEnded(long state) => (state & 0xFFFF_FFFFL) == 0;

    /// <summary>The word a use ends in: the next generation with everything else clear, or retired at the maximum.</summary>
    internal static long Ended(long state)
    {
        uint generation = Generation(state);
        return generation == uint.MaxValue ? Make(generation, 0) : Make(generation + 1, 0);
    }
}
