using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SharedTask.Benchmarks.Awaitables;

/// <summary>
/// The suspension point of the coalescing suite's loads: like <see cref="ManualAwaitable"/> (the driver completes it
/// and runs the waiting continuation inline; it allocates nothing), except that the load may await it on another
/// thread. HybridCache starts a load whose first caller has a cancelable token on the thread pool, so the driver may
/// reach <see cref="Complete"/> before the load has suspended: it then waits for the load to get there. Every peer of
/// the suite awaits this same signal, so the handshake costs each of them the same.
/// </summary>
internal sealed class LoadSignal
{
    /// <summary>How long <see cref="Complete"/> waits for a load to suspend before calling the benchmark broken.</summary>
    private static readonly TimeSpan AwaiterTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The waiting continuation: published by the awaiting load (any thread), taken by the driver.</summary>
    private Action? _continuation;

    /// <summary>The value the await returns: written by the driver before it runs the continuation on its own thread.</summary>
    private int _result;

    /// <summary>Waits until a load awaits this signal, then resumes it inline on this thread with <paramref name="result"/>.</summary>
    /// <param name="result">The value the await returns.</param>
    /// <exception cref="InvalidOperationException">Nothing awaited the signal within 10 s (a broken benchmark).</exception>
    internal void Complete(int result)
    {
        // The exchange pairs with the awaiter's compare-exchange: taking the continuation also makes everything the load
        // wrote before suspending visible here, whichever thread it ran on.
        Action? continuation = Interlocked.Exchange(ref _continuation, null);
        if (continuation is null)
        {
            continuation = WaitForAwaiter();
        }

        _result = result;
        continuation();
    }

    /// <summary>Gets the awaiter.</summary>
    /// <returns>The awaiter.</returns>
    public Awaiter GetAwaiter() => new(this);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Action WaitForAwaiter()
    {
        long start = Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while (true)
        {
            if (Interlocked.Exchange(ref _continuation, null) is { } continuation)
            {
                return continuation;
            }

            if (Stopwatch.GetElapsedTime(start) > AwaiterTimeout)
            {
                throw new InvalidOperationException(
                    $"Nothing awaited this LoadSignal within {AwaiterTimeout.TotalSeconds} s: the benchmark's load did not start or did not suspend.");
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The awaiter: a struct, so awaiting allocates nothing.</summary>
    internal readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly LoadSignal _owner;

        internal Awaiter(LoadSignal owner) => _owner = owner;

        public bool IsCompleted => false;

        public int GetResult() => _owner._result;

        public void OnCompleted(Action continuation) => Publish(continuation);

        public void UnsafeOnCompleted(Action continuation) => Publish(continuation);

        private void Publish(Action continuation)
        {
            if (Interlocked.CompareExchange(ref _owner._continuation, continuation, null) is not null)
            {
                throw new InvalidOperationException("A LoadSignal has one awaiter at a time.");
            }
        }
    }
}
