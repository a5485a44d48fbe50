using SharedTask.Tests.Concurrency.Engine;
using SharedTask.Tests.Concurrency.Scenarios;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Litmus;

/// <summary>The engine's own teeth, before it is trusted with the library: known bugs must fail, known-good code must pass.</summary>
public sealed class LitmusTests(ITestOutputHelper output)
{
    private readonly Explorer _explorer = new(ExplorationBudget.FromEnvironment());

    [Fact]
    public void Non_atomic_counter_loses_an_update_and_the_engine_reports_it()
    {
        ExplorationReport report = Explore(() => new NonAtomicCounter());

        Assert.True(report.Failure is not null, "the engine explored a read-then-write counter and never lost an update");
        Assert.Equal(FailureKind.InvariantViolated, report.Failure.Kind);
        Assert.Contains("an update was lost", report.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Atomic_counter_passes_every_schedule_within_the_bound()
    {
        ExplorationReport report = Explore(() => new AtomicCounter());

        Assert.True(report.Failure is null, $"an interlocked counter failed:\n{report.Failure}");
        StrategyRun exhaustive = report.Runs.Single(r => r.Exhausted is not null);
        Assert.True(exhaustive.Exhausted, "the exhaustive search did not finish on a two-step scenario");
    }

    [Fact]
    public void Lost_wakeup_is_reported_as_a_deadlock()
    {
        ExplorationReport report = Explore(() => new LostWakeup());

        Assert.True(report.Failure is not null, "the engine never delivered the signal between check and registration");
        Assert.Equal(FailureKind.Deadlock, report.Failure.Kind);
        Assert.Contains("woken by the signaler", report.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endless_retry_is_reported_as_exceeding_the_step_bound()
    {
        ExplorationReport report = Explore(() => new EndlessRetry());

        Assert.True(report.Failure is not null, "a loop that never ends passed");
        Assert.Equal(FailureKind.StepBoundExceeded, report.Failure.Kind);
    }

    [Fact]
    public void Failing_schedule_replays_to_the_same_failure()
    {
        ExplorationReport report = Explore(() => new NonAtomicCounter());
        Assert.True(report.Failure is not null, "no failure to replay");

        IterationResult replay = _explorer.Replay(() => new NonAtomicCounter(), report.Failure.Schedule);

        Assert.True(replay.Failure is not null, $"replaying {report.Failure.Schedule} passed; the recorded run failed");
        Assert.Equal(report.Failure.Summary, replay.Failure.Summary);
        Assert.Equal(report.Failure.Schedule, replay.Schedule);
        Assert.Equal(report.Failure.Steps, replay.Steps);
    }

    [Fact]
    public void Passing_schedule_replays_to_a_pass()
    {
        IterationResult replay = _explorer.Replay(() => new NonAtomicCounter(), "1:0*2.1*2");

        Assert.True(replay.Failure is null, $"thread 0 ran both steps before thread 1, yet the replay failed:\n{replay.Failure}");
    }

    private ExplorationReport Explore(Func<Scenario> create)
    {
        ExplorationReport report = _explorer.Explore(create);
        output.WriteLine(report.ToString());
        return report;
    }
}
