namespace SharedTask.Frames;

/// <summary>
/// The encoding of a frame's one 64-bit state word. Generation and reference count share the word so that checking a
/// handle's generation and taking or dropping a reference are one compare-exchange: a recycle can never slip between
/// the check and the change (ABA).
/// </summary>
/// <remarks>
/// <code>
/// bits 63..32  generation: advances when the last reference is released; a handle carries the one it was issued for
/// bit  31      completion claimed (completion sources: the TrySet that won)
/// bit  30      producer released (completion sources: Dispose has dropped the producer's reference)
/// bits 29..0   reference count
/// </code>
/// A generation never wraps: a frame whose generation reaches <see cref="uint.MaxValue"/> is retired (left to the
/// garbage collector) instead of going back to its pool, so a stale handle can never match a reused frame.
/// </remarks>
internal static class FrameState
{
    internal const long CountMask = (1L << 30) - 1;
    internal const long ProducerReleasedBit = 1L << 30;
    internal const long CompletionClaimedBit = 1L << 31;

    /// <summary>The largest reference count; one more is an <see cref="OverflowException"/>, never a wrap.</summary>
    internal const int MaxCount = (int)CountMask;

    internal static uint Generation(long state) => (uint)((ulong)state >> 32);

    internal static int Count(long state) => (int)(state & CountMask);

    internal static long Make(uint generation, int count) => ((long)generation << 32) | (uint)count;
}
