namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Decides which logical thread runs at each scheduling point where more than one could. A strategy sees only thread
/// ids (creation order in the iteration), so the choices it makes are exactly what a schedule string records.
/// </summary>
internal interface ISchedulingStrategy
{
    /// <summary>What a failure report prints to name the strategy, e.g. "pct(depth=2)".</summary>
    string Name { get; }

    /// <summary>The seed of the iteration being prepared, or null for strategies without randomness.</summary>
    ulong? IterationSeed { get; }

    /// <summary>Prepares the next iteration; false when there is nothing left to explore (exhaustive search done).</summary>
    bool PrepareIteration();

    /// <summary>A logical thread was created (ids count up from 0 in every iteration).</summary>
    void OnThreadCreated(int id);

    /// <summary>
    /// Picks one of <paramref name="runnable"/> (ascending ids, at least two). <paramref name="current"/> is the thread
    /// that reached the point if it can go on (choosing another one is then a preemption), else -1.
    /// </summary>
    int Choose(IReadOnlyList<int> runnable, int current);
}
