namespace SharedTask.Tests.Unit.Support;

/// <summary>Measures what an operation allocates once its pools are warm: bytes this thread allocates per call.</summary>
internal static class SteadyStateAllocations
{
    /// <summary>
    /// Runs <paramref name="operation"/> <paramref name="operations"/> times to warm it up (pools filled, methods tiered
    /// up), then as many times again measured; returns the bytes allocated per measured call. No SynchronizationContext
    /// is current meanwhile, so continuations resume inline as on a server thread.
    /// </summary>
    public static double BytesPerOperation(Action operation, int operations = 2_000)
    {
        using var scope = NoSynchronizationContext.Enter();
        for (int i = 0; i < operations; i++)
        {
            operation();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < operations; i++)
        {
            operation();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)operations;
    }
}
