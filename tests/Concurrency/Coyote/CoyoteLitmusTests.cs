using SharedTask.Tests.Concurrency.Engine;
using SharedTask.Tests.Concurrency.Litmus;
using SharedTask.Tests.Concurrency.Scenarios;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// The Coyote adapter's own teeth, on the same litmus scenarios as the home engine: a lost update must fail as an
/// invariant, a lost wake-up as a deadlock naming what the thread waits for, an endless retry as the step bound, an
/// atomic counter must pass, and a saved trace must replay to the same failure.
/// </summary>
public sealed class CoyoteLitmusTests(ITestOutputHelper output)
{
    private readonly CoyoteExplorer _explorer = new(CoyoteBudget.FromEnvironment() with { MaxSteps = 2_000 });

    [Fact]
    public void Non_atomic_counter_loses_an_update_and_Coyote_reports_it()
    {
        CoyoteReport report = Explore(() => new NonAtomicCounter());

        Assert.True(report.Failure is not null, "Coyote explored a read-then-write counter and never lost an update");
        Assert.Equal(FailureKind.InvariantViolated, report.Failure.Kind);
        Assert.Contains("an update was lost", report.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Atomic_counter_passes_every_explored_schedule()
    {
        CoyoteReport report = Explore(() => new AtomicCounter());

        Assert.True(report.Failure is null, $"an interlocked counter failed:\n{report.Failure}");
        Assert.True(report.Runs.Sum(r => r.DistinctSchedules) >= 2, "Coyote never ran the two increments in both orders");
    }

    [Fact]
    public void Lost_wakeup_is_reported_as_a_deadlock_naming_the_wait()
    {
        CoyoteReport report = Explore(() => new LostWakeup());

        Assert.True(report.Failure is not null, "Coyote never delivered the signal between check and registration");
        Assert.Equal(FailureKind.Deadlock, report.Failure.Kind);
        Assert.Contains("woken by the signaler", report.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endless_retry_is_reported_as_exceeding_the_step_bound()
    {
        CoyoteReport report = Explore(() => new EndlessRetry());

        Assert.True(report.Failure is not null, "a loop that never ends passed");
        Assert.Equal(FailureKind.StepBoundExceeded, report.Failure.Kind);
    }

    [Fact]
    public void Saved_trace_replays_to_the_same_failure()
    {
        CoyoteReport report = Explore(() => new NonAtomicCounter());
        Assert.True(report.Failure is { TraceFile: not null }, "no failure, or no saved trace, to replay");

        CoyoteFailure? replay = _explorer.Replay(() => new NonAtomicCounter(), report.Failure.TraceFile);

        Assert.True(replay is not null, $"replaying {report.Failure.TraceFile} passed; the recorded run failed");
        Assert.Equal(report.Failure.Summary, replay.Summary);
        Assert.Equal(report.Failure.Steps, replay.Steps);
    }

    [Fact]
    public void Saved_trace_of_another_scenario_fails_to_reproduce_rather_than_lying()
    {
        CoyoteReport report = Explore(() => new NonAtomicCounter());
        Assert.True(report.Failure is { TraceFile: not null }, "no failure, or no saved trace, to replay");

        // The atomic counter cannot fail, whatever the schedule: the replay must say so, not report a failure.
        Assert.Null(_explorer.Replay(() => new AtomicCounter(), report.Failure.TraceFile));
    }

    private CoyoteReport Explore(Func<Scenario> create)
    {
        CoyoteReport report = _explorer.Explore(create);
        output.WriteLine(report.ToString());
        return report;
    }
}
