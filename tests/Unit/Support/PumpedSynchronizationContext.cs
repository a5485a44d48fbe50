namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// A SynchronizationContext that queues what is posted to it until its owner pumps it, and tells a shared signal at
/// every post: a test can wait for "something happened" instead of sleeping, and can tell a continuation that ran
/// because it was posted here from one that ran inline. <see cref="Send"/> is refused: nothing in SharedTask may
/// block on a context.
/// </summary>
internal sealed class PumpedSynchronizationContext(string name, ActivitySignal activity) : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

    public string Name { get; } = name;

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_posted)
        {
            _posted.Enqueue((d, state));
        }

        activity.Signal();
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException($"Send to {Name}: a continuation must be posted, never sent.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs every queued callback (and any it posts) on this thread with this context installed.</summary>
    /// <returns>How many callbacks ran.</returns>
    public int Pump()
    {
        int ran = 0;
        SynchronizationContext? previous = Current;
        SetSynchronizationContext(this);
        try
        {
            while (TryDequeue(out (SendOrPostCallback Callback, object? State) item))
            {
                item.Callback(item.State);
                ran++;
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }

        return ran;
    }

    public override string ToString() => Name;

    private bool TryDequeue(out (SendOrPostCallback Callback, object? State) item)
    {
        lock (_posted)
        {
            return _posted.TryDequeue(out item);
        }
    }
}
