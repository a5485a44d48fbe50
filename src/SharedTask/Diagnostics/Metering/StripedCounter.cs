using System.Numerics;

namespace SharedTask.Diagnostics.Metering;

/// <summary>
/// A monotonic count split into one cell per processor, each on its own cache line, so that cores counting at the
/// same time do not fight over one line. Reading sums the cells.
/// </summary>
internal sealed class StripedCounter
{
    /// <summary>Longs per cell: 128 bytes, a cache line plus the neighbour the adjacent-line prefetcher pulls in.</summary>
    private const int Spacing = 16;

    /// <summary>Cell i lives at index i * <see cref="Spacing"/>; the rest of the array is padding nobody touches.</summary>
    private readonly long[] _cells;

    /// <summary>Cell count minus one (the count is a power of two, so a mask picks a cell).</summary>
    private readonly int _mask;

    internal StripedCounter()
    {
        int cells = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _mask = cells - 1;
        _cells = new long[cells * Spacing];
    }

    /// <summary>Adds one to the current processor's cell.</summary>
    internal void Increment()
    {
        // The processor id may be stale (the thread can migrate between reading it and incrementing): that only costs
        // sharing a line for a moment; the interlocked add keeps the count exact whichever cell it lands in.
        int cell = (Thread.GetCurrentProcessorId() & _mask) * Spacing;
        Interlocked.Increment(ref _cells[cell]);
    }

    /// <summary>The sum of the cells: exact once counting stops, a moment's snapshot while it runs.</summary>
    internal long Read()
    {
        long sum = 0;
        for (int cell = 0; cell <= _mask; cell++)
        {
            sum += Volatile.Read(ref _cells[cell * Spacing]);
        }

        return sum;
    }
}
