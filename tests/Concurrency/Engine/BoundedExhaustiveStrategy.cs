namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Depth-first enumeration of every schedule with at most <c>bound</c> preemptions (Musuvathi and Qadeer, PLDI 2007:
/// most concurrency bugs need very few). A preemption is a decision that switches away from a thread that could have
/// gone on; switching when the running thread finished or blocked is free. Each iteration replays the prefix of the
/// previous one up to the deepest decision with an untried alternative, takes that alternative, and continues with the
/// default (keep running the current thread, else the lowest id).
/// </summary>
internal sealed class BoundedExhaustiveStrategy(int preemptionBound) : ISchedulingStrategy
{
    /// <summary>The decisions of the current iteration, in order.</summary>
    private readonly List<Decision> _path = [];

    /// <summary>The choices the current iteration must replay before it explores.</summary>
    private readonly List<int> _prefix = [];
    private int _position;
    private bool _started;

    public string Name => $"exhaustive(preemption bound={preemptionBound})";

    public ulong? IterationSeed => null;

    /// <summary>Whether every schedule within the bound was explored.</summary>
    internal bool Exhausted { get; private set; }

    public bool PrepareIteration()
    {
        if (Exhausted)
        {
            return false;
        }

        if (_started && !Backtrack())
        {
            Exhausted = true;
            return false;
        }

        _started = true;
        _position = 0;
        return true;
    }

    public void OnThreadCreated(int id)
    {
    }

    public int Choose(IReadOnlyList<int> runnable, int current)
    {
        int preemptionsBefore = _position == 0 ? 0 : _path[_position - 1].PreemptionsAfter;
        int[] options = Ordered(runnable, current);
        int chosenIndex = 0;
        if (_position < _prefix.Count)
        {
            chosenIndex = Array.IndexOf(options, _prefix[_position]);
            if (chosenIndex < 0)
            {
                throw new InvalidOperationException(
                    $"Exhaustive search diverged at decision {_position}: thread {_prefix[_position]} is not runnable now. " +
                    "The scenario is not deterministic for a given schedule.");
            }
        }

        var decision = new Decision(options, current, chosenIndex, preemptionsBefore);
        if (_position < _path.Count)
        {
            _path[_position] = decision;
        }
        else
        {
            _path.Add(decision);
        }

        _position++;
        return options[chosenIndex];
    }

    /// <summary>The default first (the current thread, else the lowest id), then the others in ascending order.</summary>
    private static int[] Ordered(IReadOnlyList<int> runnable, int current)
    {
        var options = new int[runnable.Count];
        int next = 0;
        if (current >= 0)
        {
            options[next++] = current;
        }

        foreach (int id in runnable)
        {
            if (id != current)
            {
                options[next++] = id;
            }
        }

        return options;
    }

    /// <summary>Sets <see cref="_prefix"/> to the next schedule in depth-first order; false when there is none.</summary>
    private bool Backtrack()
    {
        // Decisions past this iteration's end belong to a longer, earlier path.
        _path.RemoveRange(_position, _path.Count - _position);
        for (int depth = _path.Count - 1; depth >= 0; depth--)
        {
            Decision decision = _path[depth];
            for (int alternative = decision.ChosenIndex + 1; alternative < decision.Options.Length; alternative++)
            {
                if (decision.PreemptionsBefore + decision.Cost(alternative) > preemptionBound)
                {
                    continue;
                }

                _prefix.Clear();
                for (int i = 0; i < depth; i++)
                {
                    _prefix.Add(_path[i].Options[_path[i].ChosenIndex]);
                }

                _prefix.Add(decision.Options[alternative]);
                _path.RemoveRange(depth, _path.Count - depth);
                return true;
            }
        }

        return false;
    }

    private readonly record struct Decision(int[] Options, int Current, int ChosenIndex, int PreemptionsBefore)
    {
        internal int Cost(int index) => Current >= 0 && Options[index] != Current ? 1 : 0;

        internal int PreemptionsAfter => PreemptionsBefore + Cost(ChosenIndex);
    }
}
