using System.Diagnostics;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// What a coalescer does with a load whose callers cancel. Three callers with cancelable tokens ask for
/// <see cref="Key"/>, whose load holds until the probe ends; the first caller (the one that started the load) cancels,
/// then the other two. After each step the probe watches the load for <see cref="WatchTime"/>: was its token canceled,
/// was another load started?
/// </summary>
/// <remarks>
/// A demo's observation, not a test: "goes on" means nothing happened within the watch time. tests/Integration proves the
/// SingleFlight and HybridCache behaviour deterministically over HTTP.
/// </remarks>
internal sealed class AbandonProbe
{
    /// <summary>The probe's key: outside the range the clients use.</summary>
    public const int Key = -1;

    private static readonly TimeSpan WatchTime = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Completed when the probe ends: every load of the key still holding then completes normally.</summary>
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed and replaced whenever a load starts or is canceled, so the probe can wait for either.</summary>
    private TaskCompletionSource _changed = NewSignal();

    private int _started;
    private int _canceled;
    private volatile bool _sawCancelableToken;

    /// <summary>The probe key's load: holds until the probe ends or the token the coalescer passed is canceled.</summary>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        _sawCancelableToken |= cancellationToken.CanBeCanceled;
        Interlocked.Increment(ref _started);
        SignalChange();
        try
        {
            await _release.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _canceled);
            SignalChange();
            throw;
        }
    }

    /// <summary>Runs the probe through <paramref name="call"/> (one request of the side, with a caller token).</summary>
    /// <returns>What happened to the load when its first caller left, and when all three had left.</returns>
    public async Task<(string OneCallerLeaves, string AllCallersLeave)> RunAsync(Func<int, CancellationToken, Task<int>> call)
    {
        using var first = new CancellationTokenSource();
        using var others = new CancellationTokenSource();
        Task<int>[] callers = [call(Key, first.Token), call(Key, others.Token), call(Key, others.Token)];
        try
        {
            if (!await WaitForAsync(() => Volatile.Read(ref _started) >= 1, StartTimeout))
            {
                return ("never started", "never started");
            }

            await first.CancelAsync();
            await EndedAsync(callers[0]);
            string oneLeaves = "goes on";
            if (await WaitForAsync(() => Volatile.Read(ref _canceled) >= 1, WatchTime))
            {
                oneLeaves = await WaitForAsync(() => Volatile.Read(ref _started) >= 2, WatchTime)
                    ? "canceled, restarted"
                    : "canceled";
            }

            int canceledBefore = Volatile.Read(ref _canceled);
            await others.CancelAsync();
            await EndedAsync(callers[1]);
            await EndedAsync(callers[2]);
            string allLeave = await WaitForAsync(() => Volatile.Read(ref _canceled) > canceledBefore, WatchTime)
                ? "canceled"
                : _sawCancelableToken ? "runs on" : "runs on (no token)";
            return (oneLeaves, allLeave);
        }
        finally
        {
            _release.TrySetResult();
        }
    }

    /// <summary>Waits for a caller to end; its outcome (canceled, or a value) does not matter here.</summary>
    private static async Task EndedAsync(Task<int> caller)
    {
        try
        {
            await caller;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalChange() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            // Take the signal before testing, so that a change between the test and the wait completes this signal.
            Task changed = Volatile.Read(ref _changed).Task;
            if (condition())
            {
                return true;
            }

            TimeSpan left = timeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }
}
