using System.Collections.Concurrent;

namespace SharedTask.Tests.Unit.Parity;

/// <summary>
/// What a continuation saw when it ran: the current context, scheduler and thread (the Thread object: managed thread ids
/// are reused once a thread has ended).
/// </summary>
internal readonly record struct Seen(SynchronizationContext? Context, TaskScheduler Scheduler, Thread Thread)
{
    public static Seen Now() => new(SynchronizationContext.Current, TaskScheduler.Current, Thread.CurrentThread);
}

/// <summary>
/// A SynchronizationContext like a UI thread's, as far as a completing thread is concerned: it is current on the thread
/// that completes, and it counts what is posted to it (and runs it on the thread pool, with itself installed).
/// </summary>
internal sealed class ForeignContext : SynchronizationContext
{
    private int _posted;

    public int Posted => Volatile.Read(ref _posted);

    public override void Post(SendOrPostCallback d, object? state)
    {
        Interlocked.Increment(ref _posted);
        ThreadPool.UnsafeQueueUserWorkItem(
            _ =>
            {
                SetSynchronizationContext(this);
                try
                {
                    d(state);
                }
                finally
                {
                    SetSynchronizationContext(null);
                }
            },
            null);
    }

    /// <summary>Runs <paramref name="action"/> on a new thread on which this context is current; returns that thread.</summary>
    public Thread RunOnOwnThread(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            SetSynchronizationContext(this);
            try
            {
                action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            throw new InvalidOperationException("the completing thread threw", error);
        }

        return thread;
    }
}

/// <summary>A TaskScheduler of its own (not the default), running its tasks on one dedicated thread.</summary>
internal sealed class OwnThreadScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread _thread;

    public OwnThreadScheduler()
    {
        _thread = new Thread(() =>
        {
            foreach (Task task in _tasks.GetConsumingEnumerable())
            {
                TryExecuteTask(task);
            }
        })
        { IsBackground = true };
        _thread.Start();
    }

    public Thread Thread => _thread;

    protected override void QueueTask(Task task) => _tasks.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => [.. _tasks];

    public void Dispose() => _tasks.CompleteAdding();
}
