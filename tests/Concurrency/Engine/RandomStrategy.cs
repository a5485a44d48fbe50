namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>At every decision, a uniformly random runnable thread. Each iteration has its own derived seed.</summary>
internal sealed class RandomStrategy(ulong seed) : ISchedulingStrategy
{
    private long _iteration = -1;
    private SplitMix64 _random = new(seed);

    public string Name => $"random(seed={seed})";

    public ulong? IterationSeed { get; private set; }

    public bool PrepareIteration()
    {
        _iteration++;
        IterationSeed = SplitMix64.Derive(seed, _iteration);
        _random = new SplitMix64(IterationSeed.Value);
        return true;
    }

    public void OnThreadCreated(int id)
    {
    }

    public int Choose(IReadOnlyList<int> runnable, int current) => runnable[_random.NextInt(runnable.Count)];
}
