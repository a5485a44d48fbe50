using System.Diagnostics;

namespace SharedTask.Benchmarks.Harness;

/// <summary>
/// A second thread that runs the same work as the benchmark thread, at the same time, for the two-thread suites.
/// It lives for a whole benchmark (started in setup, stopped in cleanup) and waits on a semaphore between
/// invocations, so it neither costs a thread start per invocation nor burns a core while idle.
/// </summary>
internal sealed class PartnerThread : IDisposable
{
    private readonly Thread _thread;
    private readonly SemaphoreSlim _go = new(0);

    /// <summary>The work of the current round: written by the benchmark thread before it releases the partner.</summary>
    private Action? _work;

    /// <summary>Round progress flags, each written by the partner and read by the benchmark thread.</summary>
    private volatile bool _started;
    private volatile bool _finished;

    /// <summary>Set once by <see cref="Dispose"/>; the partner exits at its next wake-up.</summary>
    private volatile bool _stopping;

    /// <summary>What the partner's work threw in the current round, rethrown on the benchmark thread.</summary>
    private Exception? _error;

    /// <summary>When the partner's share of the current round started and ended (Stopwatch timestamps).</summary>
    private long _partnerStart;
    private long _partnerEnd;

    /// <summary>Across all rounds: how long both threads worked at once, and how long either worked.</summary>
    private long _overlapTicks;
    private long _unionTicks;

    internal PartnerThread()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "Benchmark partner" };
        _thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on this thread and on the partner, starting together, and returns when both are
    /// done. Pass a cached delegate: the call itself allocates nothing.
    /// </summary>
    internal void RunTogether(Action work)
    {
        _work = work;
        _started = false;
        _finished = false;
        _go.Release();

        // Start only once the partner is awake, so that the two really overlap.
        SpinWait spin = default;
        while (!_started)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        long start = Stopwatch.GetTimestamp();
        work();
        long end = Stopwatch.GetTimestamp();

        spin = default;
        while (!_finished)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        _overlapTicks += Math.Max(0, Math.Min(end, _partnerEnd) - Math.Max(start, _partnerStart));
        _unionTicks += Math.Max(end, _partnerEnd) - Math.Min(start, _partnerStart);

        if (_error is { } error)
        {
            _error = null;
            throw new InvalidOperationException("The partner thread's share of the benchmark failed.", error);
        }
    }

    /// <summary>
    /// The share of the rounds' wall-clock time during which both threads were working. Two threads on two cores
    /// should give nearly 1; on a loaded machine the scheduler may run them one after the other, and then a
    /// "two-thread" number is really a one-thread number. Benchmarks print it so a reader can tell.
    /// </summary>
    internal double Overlap => _unionTicks == 0 ? 0 : (double)_overlapTicks / _unionTicks;

    public void Dispose()
    {
        _stopping = true;
        _go.Release();
        _thread.Join();
        _go.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _go.Wait();
            if (_stopping)
            {
                return;
            }

            _started = true;
            _partnerStart = Stopwatch.GetTimestamp();
            try
            {
                _work!();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                _error = exception;
            }

            // Written before the flag: the benchmark thread reads them after it sees the flag (volatile write/read).
            _partnerEnd = Stopwatch.GetTimestamp();
            _finished = true;
        }
    }
}
