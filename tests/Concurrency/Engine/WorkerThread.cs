namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// A real thread that hosts logical threads, one at a time, for the life of the process: creating a thread per logical
/// thread per iteration would cost more than the iteration. It runs only while its logical thread holds the baton.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design", "CA1001", Justification = "Lives as long as the process's worker threads; its semaphore is never released early.")]
internal sealed class WorkerThread
{
    private static readonly Stack<WorkerThread> s_idle = new();
    private static int s_created;

    private readonly SemaphoreSlim _baton = new(0, 1);

    /// <summary>The logical thread to start on the next baton; written before <see cref="Resume"/> releases it.</summary>
    private LogicalThread? _assigned;

    private WorkerThread()
    {
        var thread = new Thread(Loop, maxStackSize: 4 * 1024 * 1024)
        {
            IsBackground = true,
            Name = $"SharedTask engine worker {Interlocked.Increment(ref s_created)}",
        };
        thread.Start();
    }

    /// <summary>How many real threads the engine has created in this process.</summary>
    internal static int Created => Volatile.Read(ref s_created);

    /// <summary>An idle worker (or a new one) bound to <paramref name="thread"/>'s future start.</summary>
    internal static WorkerThread RentFor(Func<WorkerThread, LogicalThread> bind)
    {
        WorkerThread? worker;
        lock (s_idle)
        {
            s_idle.TryPop(out worker);
        }

        worker ??= new WorkerThread();
        worker._assigned = bind(worker);
        return worker;
    }

    /// <summary>Gives this worker's logical thread the baton.</summary>
    internal void Resume() => _baton.Release();

    /// <summary>Blocks the calling (this worker's) thread until its logical thread gets the baton back.</summary>
    internal void Park() => _baton.Wait();

    /// <summary>Called by the finishing logical thread before it hands the baton on, so the next iteration finds it idle.</summary>
    internal void BecomeIdle()
    {
        lock (s_idle)
        {
            s_idle.Push(this);
        }
    }

    private void Loop()
    {
        while (true)
        {
            _baton.Wait();
            LogicalThread thread = _assigned!;
            _assigned = null;
            thread.Scheduler.RunOnCurrentWorker(thread);
        }
    }
}
