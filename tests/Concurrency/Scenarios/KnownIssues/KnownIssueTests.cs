using SharedTask.Tests.Concurrency.Engine;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Scenarios.KnownIssues;

/// <summary>
/// Library behaviour the engine finds and that is reported rather than fixed (see tests/Concurrency/README.md). Each
/// test asserts the engine still reports it: when the library changes so that it no longer happens, the test fails, and
/// the scenario should move to <see cref="ScenarioCatalog"/> to guard the fix.
/// </summary>
public sealed class KnownIssueTests(ITestOutputHelper output)
{
    [Fact]
    public void Stale_await_racing_the_recycle_writes_into_the_pooled_frame()
    {
        ExplorationReport report = new Explorer(ExplorationBudget.FromEnvironment()).Explore(() => new StaleAwaitRacesRecycle());
        output.WriteLine(report.ToString());

        Assert.True(report.Failure is not null, "the stale registration no longer reaches a recycled frame: move StaleAwaitRacesRecycle to the catalog");
        Assert.Contains("while in its pool", report.Failure.Message, StringComparison.Ordinal);
    }
}
