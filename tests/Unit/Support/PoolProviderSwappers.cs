namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// The tests that install their own <see cref="SimpleTaskPool.Provider"/> for the frame types they use first. The
/// provider is process-wide, so they run alone: no other test can swap it back under them, and no other test's frame
/// type gets its pool from them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PoolProviderSwappers
{
    public const string Name = "Tests that swap SimpleTaskPool.Provider";
}
