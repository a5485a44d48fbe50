namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi and Nagarakatte, ASPLOS 2010). Every thread gets a
/// random priority and the highest-priority runnable thread always runs; at <c>depth - 1</c> random decision points the
/// running thread drops below every initial priority. A bug that needs <c>depth</c> ordering constraints among
/// <c>n</c> threads and <c>k</c> decisions is found with probability at least 1/(n·k^(depth-1)) per iteration.
/// </summary>
internal sealed class PctStrategy : ISchedulingStrategy
{
    private readonly ulong _seed;
    private readonly int _depth;

    /// <summary>Thread ids from highest to lowest priority: the initial ones, then the ones lowered at change points.</summary>
    private readonly List<int> _order = [];
    private readonly List<int> _changePoints = [];
    private SplitMix64 _random;
    private long _iteration = -1;

    /// <summary>Where the lowered threads start in <see cref="_order"/>.</summary>
    private int _highCount;
    private int _decision;
    private int _nextChange;

    /// <summary>The estimate of k, the decisions per iteration: the most seen so far.</summary>
    private int _length = 32;

    internal PctStrategy(ulong seed, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _seed = seed;
        _depth = depth;
        _random = new SplitMix64(seed);
    }

    public string Name => $"pct(depth={_depth}, seed={_seed})";

    public ulong? IterationSeed { get; private set; }

    public bool PrepareIteration()
    {
        _length = Math.Max(_length, _decision);
        _iteration++;
        IterationSeed = SplitMix64.Derive(_seed, _iteration);
        _random = new SplitMix64(IterationSeed.Value);
        _order.Clear();
        _highCount = 0;
        _decision = 0;
        _nextChange = 0;

        // d-1 distinct change points, uniform over the decisions an iteration is expected to have.
        _changePoints.Clear();
        int wanted = Math.Min(_depth - 1, _length);
        while (_changePoints.Count < wanted)
        {
            int point = 1 + _random.NextInt(_length);
            if (!_changePoints.Contains(point))
            {
                _changePoints.Add(point);
            }
        }

        _changePoints.Sort();
        return true;
    }

    public void OnThreadCreated(int id)
    {
        // A random slot among the initial priorities: every relative order of the threads is equally likely.
        _order.Insert(_random.NextInt(_highCount + 1), id);
        _highCount++;
    }

    public int Choose(IReadOnlyList<int> runnable, int current)
    {
        _decision++;
        if (_nextChange < _changePoints.Count && _changePoints[_nextChange] == _decision)
        {
            // The thread about to run drops to priority i (1-based change point i): below every initial priority and
            // above the threads lowered at earlier change points.
            int running = Highest(runnable);
            int index = _order.IndexOf(running);
            _order.RemoveAt(index);
            if (index < _highCount)
            {
                _highCount--;
            }

            _order.Insert(_highCount, running);
            _nextChange++;
        }

        return Highest(runnable);
    }

    private int Highest(IReadOnlyList<int> runnable)
    {
        foreach (int id in _order)
        {
            if (Contains(runnable, id))
            {
                return id;
            }
        }

        throw new InvalidOperationException("PCT has no priority for a runnable thread; a thread was created without OnThreadCreated.");
    }

    private static bool Contains(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return true;
            }
        }

        return false;
    }
}
