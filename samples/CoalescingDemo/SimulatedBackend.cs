namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// The slow thing requests are coalesced in front of: every load awaits <see cref="Task.Delay(int)"/> for the configured
/// time and returns a value computed from the key. Both sides run this same body; only the return type differs,
/// because each side takes its own natural async type.
/// </summary>
internal sealed class SimulatedBackend(int loadMilliseconds)
{
    private long _loadsStarted;

    /// <summary>Loads started so far.</summary>
    public long LoadsStarted => Volatile.Read(ref _loadsStarted);

    /// <summary>The value a load of <paramref name="key"/> returns, for checking responses.</summary>
    public static int ValueOf(int key) => (key * 31) + 7;

    /// <summary>
    /// The load as SingleFlight runs it. It passes its token to the delay, so a load every caller abandoned stops
    /// early; the idiom has no such token (that costs this side a little more work per load, not less).
    /// </summary>
    public async SimpleTask<int> LoadAsync(int key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loadsStarted);
        await Task.Delay(loadMilliseconds, cancellationToken);
        return ValueOf(key);
    }

    /// <summary>The same load as the idiom runs it.</summary>
    public async Task<int> LoadTaskAsync(int key)
    {
        Interlocked.Increment(ref _loadsStarted);
        await Task.Delay(loadMilliseconds);
        return ValueOf(key);
    }
}
