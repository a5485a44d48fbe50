using SharedTask.Frames;

namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>A caller's token cancels that caller's wait and nothing else.</summary>
public class CallerCancellationTests
{
    [Fact]
    public void Canceling_one_callers_token_cancels_only_that_callers_wait()
    {
        using var loads = new ControlledLoads<int>();
        using var impatient = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> patient = flight.RunAsync("k", loads.Start);
        SimpleTask<int> canceled = flight.RunAsync("k", loads.Start, impatient.Token);

        impatient.Cancel();

        Assert.True(canceled.IsCanceled, "the caller whose token fired should be canceled at once");
        Assert.False(patient.IsCompleted, "the other caller should keep waiting for the load");
        Assert.False(loads.TokenOf(0).IsCancellationRequested, "the load still has a caller, so its token must not be canceled");
        loads.Complete(0, 8);
        Assert.Equal(8, patient.GetAwaiter().GetResult());
        Assert.ThrowsAny<OperationCanceledException>(() => canceled.GetAwaiter().GetResult());
    }

    [Fact]
    public void Canceled_caller_gets_an_OperationCanceledException_carrying_its_own_token()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> other = flight.RunAsync("k", loads.Start);
        SimpleTask<int> task = flight.RunAsync("k", loads.Start, cancellation.Token);

        cancellation.Cancel();

        OperationCanceledException exception = Assert.ThrowsAny<OperationCanceledException>(() => task.GetAwaiter().GetResult());
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        other.Dispose();
    }

    [Fact]
    public void Leader_whose_token_fires_leaves_while_the_joiners_get_the_value()
    {
        using var loads = new ControlledLoads<int>();
        using var leaderCancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> leader = flight.RunAsync("k", loads.Start, leaderCancellation.Token);
        SimpleTask<int> joiner = flight.RunAsync("k", loads.Start);

        leaderCancellation.Cancel();
        loads.Complete(0, 4);

        Assert.True(leader.IsCanceled, "the leader's own token should cancel its wait");
        Assert.Equal(4, joiner.GetAwaiter().GetResult());
        Assert.ThrowsAny<OperationCanceledException>(() => leader.GetAwaiter().GetResult());
    }

    [Fact]
    public void Caller_whose_token_already_fired_gets_a_canceled_task_and_starts_no_load()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> task = flight.RunAsync("k", loads.Start, cancellation.Token);

        Assert.True(task.IsCanceled, "a caller with a canceled token should get a canceled task");
        Assert.True(loads.Starts == 0, $"a caller with a canceled token should start nothing, started {loads.Starts}");
        Assert.ThrowsAny<OperationCanceledException>(() => task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Token_firing_after_the_outcome_was_delivered_changes_nothing()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> task = flight.RunAsync("k", loads.Start, cancellation.Token);
        loads.Complete(0, 6);

        cancellation.Cancel();

        Assert.True(task.IsCompletedSuccessfully, "the outcome was delivered first, so the caller keeps it");
        Assert.Equal(6, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Caller_frame_goes_back_to_its_pool_after_the_caller_consumes_its_handle()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> task = flight.RunAsync("k", loads.Start, cancellation.Token);
        var frame = (FrameCore)task._frame!;
        uint generation = frame.Generation;
        loads.Complete(0, 1);

        task.GetAwaiter().GetResult();

        Assert.True(frame.Generation != generation, "the caller frame's use should have ended when its handle was consumed");
        Assert.False(frame.IsLive, "nothing should hold the caller frame once its use ended");
    }

    [Fact]
    public void Caller_whose_token_source_was_disposed_gets_the_value_and_its_frame_is_recycled()
    {
        using var loads = new ControlledLoads<int>();
        var disposed = new CancellationTokenSource();
        CancellationToken token = disposed.Token;
        disposed.Dispose();
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> task = flight.RunAsync("k", loads.Start, token);
        var frame = (FrameCore)task._frame!;
        uint generation = frame.Generation;
        loads.Complete(0, 2);

        Assert.Equal(2, task.GetAwaiter().GetResult());
        Assert.True(frame.Generation != generation, "a registration that never happened must not hold the caller frame's use open");
    }
}
