namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// A SynchronizationContext that queues posted callbacks until the test runs them, so a test can prove a
/// continuation went through the context (and when).
/// </summary>
internal sealed class QueueSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

    public int PostedCount
    {
        get
        {
            lock (_posted)
            {
                return _posted.Count;
            }
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_posted)
        {
            _posted.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    /// <summary>Runs every queued callback on the calling thread with this context installed.</summary>
    public int RunPosted()
    {
        int ran = 0;
        SynchronizationContext? previous = Current;
        SetSynchronizationContext(this);
        try
        {
            while (true)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (_posted)
                {
                    if (!_posted.TryDequeue(out item))
                    {
                        return ran;
                    }
                }

                item.Callback(item.State);
                ran++;
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
