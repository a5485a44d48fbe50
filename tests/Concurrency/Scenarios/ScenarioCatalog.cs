namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>Every library scenario, by name: what the tests, the command line and the mutant runs explore.</summary>
internal static class ScenarioCatalog
{
    internal static readonly IReadOnlyList<Func<Scenario>> All =
    [
        () => new CopyAndDisposeRaceCompletion(),
        () => new AwaiterRegistrationRacesCompletion(),
        () => new CompletionSourceTrySetRaces(),
        () => new CompletionSourceTrySetRacesDispose(),
        () => new StaleHandleRacesRecycleAndReuse(),
        () => new ManyAwaitersRace(),
        () => new ShareAndDisposeRaceLastRelease(),
        () => new ContinuationReleasesLastReference(),
        () => new PoolRentAndReturnRace(),
        () => new ShippedPoolRentAndReturnRace(),
    ];

    internal static Func<Scenario> Named(string name) =>
        All.FirstOrDefault(create => create().Name == name)
        ?? throw new ArgumentException($"No scenario is named '{name}'. Known: {string.Join(", ", All.Select(c => c().Name))}.", nameof(name));
}
