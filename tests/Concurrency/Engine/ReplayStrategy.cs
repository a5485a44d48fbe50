namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Follows a recorded schedule decision by decision. If the recorded thread is not runnable the run has diverged from
/// the recording (the scenario or the library changed), which is reported rather than papered over.
/// </summary>
internal sealed class ReplayStrategy(string schedule) : ISchedulingStrategy
{
    private readonly List<int> _decisions = Schedule.Parse(schedule);
    private int _position;
    private bool _ran;

    public string Name => "replay";

    public ulong? IterationSeed => null;

    public bool PrepareIteration()
    {
        if (_ran)
        {
            return false;
        }

        _ran = true;
        _position = 0;
        return true;
    }

    public void OnThreadCreated(int id)
    {
    }

    public int Choose(IReadOnlyList<int> runnable, int current)
    {
        if (_position >= _decisions.Count)
        {
            throw new ReplayDivergedException(
                $"the schedule has {_decisions.Count} decisions but the run needs more; runnable now: {string.Join(", ", runnable)}");
        }

        int chosen = _decisions[_position];
        if (!runnable.Contains(chosen))
        {
            throw new ReplayDivergedException(
                $"decision {_position} names thread {chosen}, but only {string.Join(", ", runnable)} can run");
        }

        _position++;
        return chosen;
    }
}
