namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// A tiny, fully specified random generator (Steele, Lea and Flood's SplitMix64): a seed printed in a failure report
/// must give the same choices on every runtime version, which <see cref="Random"/> does not promise.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Derives the seed of one iteration from a run's seed, so any iteration can be rerun on its own.</summary>
    internal static ulong Derive(ulong runSeed, long iteration) => new SplitMix64(runSeed ^ (ulong)iteration * 0x9E3779B97F4A7C15UL).Next();

    internal ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>).</summary>
    internal int NextInt(int bound) => (int)(Next() % (ulong)bound);
}
