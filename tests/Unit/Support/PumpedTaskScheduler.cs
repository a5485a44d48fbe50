namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// A single-threaded TaskScheduler in the style of a UI scheduler: tasks queue until the owner pumps them, every queued
/// task tells a shared signal, and a task may run inline only on the thread that is pumping this scheduler (as a
/// dispatcher allows on its own thread).
/// </summary>
internal sealed class PumpedTaskScheduler(string name, ActivitySignal activity) : TaskScheduler
{
    [ThreadStatic]
    private static PumpedTaskScheduler? t_pumping;

    private readonly Queue<Task> _queued = new();

    public string Name { get; } = name;

    /// <summary>Runs every queued task (and any they queue) on this thread.</summary>
    /// <returns>How many tasks ran.</returns>
    public int Pump()
    {
        int ran = 0;
        PumpedTaskScheduler? previous = t_pumping;
        t_pumping = this;
        try
        {
            while (TryDequeue(out Task? task))
            {
                TryExecuteTask(task);
                ran++;
            }
        }
        finally
        {
            t_pumping = previous;
        }

        return ran;
    }

    /// <summary>
    /// Runs <paramref name="action"/> as a task of this scheduler, now, on this thread (as the scheduler's own thread would
    /// run it), and nothing else that is queued.
    /// </summary>
    public void RunOnThisThread(Action action)
    {
        PumpedTaskScheduler? previous = t_pumping;
        t_pumping = this;
        try
        {
            var task = new Task(action);
            task.RunSynchronously(this);
            task.GetAwaiter().GetResult();
        }
        finally
        {
            t_pumping = previous;
        }
    }

    public override string ToString() => Name;

    protected override void QueueTask(Task task)
    {
        lock (_queued)
        {
            _queued.Enqueue(task);
        }

        activity.Signal();
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        !taskWasPreviouslyQueued && ReferenceEquals(t_pumping, this) && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_queued)
        {
            return [.. _queued];
        }
    }

    private bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Task? task)
    {
        lock (_queued)
        {
            return _queued.TryDequeue(out task);
        }
    }
}
