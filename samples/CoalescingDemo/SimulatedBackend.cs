namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// The slow thing requests are coalesced in front of: every load awaits <see cref="Task.Delay(int, CancellationToken)"/>
/// for the configured time and returns a value computed from the key. Every side runs this same body; only the return
/// type differs, because each coalescer takes its own natural async type.
/// </summary>
/// <remarks>
/// The key <see cref="AbandonProbe.Key"/> is not a product: its load holds until <see cref="Probe"/> releases it, so that
/// the probe can watch what each coalescer does with a load whose callers leave.
/// </remarks>
internal sealed class SimulatedBackend(int loadMilliseconds)
{
    private long _loadsStarted;

    /// <summary>Loads started so far.</summary>
    public long LoadsStarted => Volatile.Read(ref _loadsStarted);

    /// <summary>Watches the loads of <see cref="AbandonProbe.Key"/>.</summary>
    public AbandonProbe Probe { get; } = new();

    /// <summary>The value a load of <paramref name="key"/> returns, for checking responses.</summary>
    public static int ValueOf(int key) => (key * 31) + 7;

    /// <summary>The load as SingleFlight runs it: it observes the token SingleFlight cancels when every caller has left.</summary>
    public async SimpleTask<int> LoadAsync(int key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loadsStarted);
        await WaitAsync(key, cancellationToken);
        return ValueOf(key);
    }

    /// <summary>The load as the idiom runs it: nothing could ever cancel it, so it takes no token.</summary>
    public async Task<int> LoadTaskAsync(int key)
    {
        Interlocked.Increment(ref _loadsStarted);
        await WaitAsync(key, CancellationToken.None);
        return ValueOf(key);
    }

    /// <summary>The load as FusionCache runs it (a <see cref="Task{TResult}"/> factory with the token FusionCache passes).</summary>
    public async Task<int> LoadTaskAsync(int key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loadsStarted);
        await WaitAsync(key, cancellationToken);
        return ValueOf(key);
    }

    /// <summary>The load as HybridCache runs it (a <see cref="ValueTask{TResult}"/> factory with HybridCache's shared token).</summary>
    public async ValueTask<int> LoadValueTaskAsync(int key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loadsStarted);
        await WaitAsync(key, cancellationToken);
        return ValueOf(key);
    }

    private Task WaitAsync(int key, CancellationToken cancellationToken) =>
        key == AbandonProbe.Key ? Probe.HoldAsync(cancellationToken) : Task.Delay(loadMilliseconds, cancellationToken);
}
