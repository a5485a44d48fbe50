namespace SharedTask.Tests.Integration;

/// <summary>A counter a test can wait on: <see cref="WhenReached"/> completes once the count reaches a target.</summary>
internal sealed class CountSignal
{
    private readonly Lock _gate = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Increment()
    {
        List<TaskCompletionSource> reached = [];
        lock (_gate)
        {
            _count++;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= _count)
                {
                    reached.Add(_waiters[i].Reached);
                    _waiters.RemoveAt(i);
                }
            }
        }

        // Completed outside the lock: continuations run asynchronously anyway, but nothing runs under it.
        foreach (TaskCompletionSource waiter in reached)
        {
            waiter.TrySetResult();
        }
    }

    public Task WhenReached(int target)
    {
        lock (_gate)
        {
            if (_count >= target)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, waiter));
            return waiter.Task;
        }
    }
}
