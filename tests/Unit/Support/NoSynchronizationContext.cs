namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// Clears xunit's SynchronizationContext for a block, so continuations resume inline as they would on a server
/// thread, and puts it back at the end.
/// </summary>
internal readonly struct NoSynchronizationContext : IDisposable
{
    private readonly SynchronizationContext? _previous;

    private NoSynchronizationContext(SynchronizationContext? previous) => _previous = previous;

    public static NoSynchronizationContext Enter()
    {
        var scope = new NoSynchronizationContext(SynchronizationContext.Current);
        SynchronizationContext.SetSynchronizationContext(null);
        return scope;
    }

    public void Dispose() => SynchronizationContext.SetSynchronizationContext(_previous);
}
