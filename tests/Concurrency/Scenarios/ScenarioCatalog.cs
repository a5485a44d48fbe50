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
        () => new SingleFlightJoinRacesLoadCompletion(),
        () => new SingleFlightLastCallerLeavesWhileLoadCompletes(),
        () => new PlainCopiesAwaitedWhileCompleting(),
        () => new DoubleReleaseWhileBodyRuns(),
        () => new PromisePtrDisposedWhileAwaited(),
        () => new SingleFlightPointerDisposedWhileAwaited(),
        () => new SingleFlightDoubleReleaseWhileLoadRuns(),
        () => new SingleFlightCallersRaceToStart(),
        () => new AsValueTaskReadRacesCompletion(),
        () => new ThrowingContinuationRacesCompletion(),
        () => new MethodFrameReusedAsItCompletes(),
        () => new StaleCopyAwaitRacesReuse(),
        () => new StalePrimaryCopyRacesReuse(),
        () => new SingleFlightJoinRacesAbandonment(),
    ];

    /// <summary>Scenarios outside the library catalog that a schedule can still be replayed against: the litmus tests.</summary>
    internal static readonly IReadOnlyList<Func<Scenario>> Others =
    [
        () => new Litmus.NonAtomicCounter(),
        () => new Litmus.AtomicCounter(),
        () => new Litmus.LostWakeup(),
        () => new Litmus.EndlessRetry(),
    ];

    internal static Func<Scenario> Named(string name) =>
        All.Concat(Others).FirstOrDefault(create => create().Name == name)
        ?? throw new ArgumentException(
            $"No scenario is named '{name}'. Known: {string.Join(", ", All.Concat(Others).Select(c => c().Name))}.", nameof(name));
}
