namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// A counting signal that needs no disposal (a continuation may still signal after the test is done with it): every
/// <see cref="Signal"/> lets one <see cref="Wait"/> through.
/// </summary>
internal sealed class ActivitySignal
{
    private readonly object _gate = new();
    private int _pending;

    public void Signal()
    {
        lock (_gate)
        {
            _pending++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits for one signal; false if none came within <paramref name="timeout"/>.</summary>
    public bool Wait(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_pending == 0)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                {
                    return false;
                }
            }

            _pending--;
            return true;
        }
    }
}
