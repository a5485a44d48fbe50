namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>When every caller has left before the load finished, the load's own token is canceled.</summary>
public class AbandonmentTests
{
    [Fact]
    public void Load_token_is_canceled_when_every_caller_released_its_handle_before_completion()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> first = flight.RunAsync("k", loads.Start);
        SimpleTask<int> second = flight.RunAsync("k", loads.Start);

        first.Dispose();
        Assert.False(loads.TokenOf(0).IsCancellationRequested, "one caller remains, so the load must go on");
        second.Dispose();

        Assert.True(loads.TokenOf(0).IsCancellationRequested, "every caller left before completion, so the load's token should be canceled");
        Assert.True(flight.InFlightCount == 0, $"an abandoned load should free its key, counted {flight.InFlightCount}");
    }

    [Fact]
    public void Load_token_is_canceled_when_every_callers_token_fired()
    {
        using var loads = new ControlledLoads<int>();
        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> first = flight.RunAsync("k", loads.Start, a.Token);
        SimpleTask<int> second = flight.RunAsync("k", loads.Start, b.Token);

        a.Cancel();
        Assert.False(loads.TokenOf(0).IsCancellationRequested, "one caller is still waiting, so the load must go on");
        b.Cancel();

        Assert.True(loads.TokenOf(0).IsCancellationRequested, "every caller's wait was canceled, so the load's token should be canceled");
        Assert.ThrowsAny<OperationCanceledException>(() => first.GetAwaiter().GetResult());
        Assert.ThrowsAny<OperationCanceledException>(() => second.GetAwaiter().GetResult());
    }

    [Fact]
    public void Load_token_is_canceled_when_callers_leave_in_different_ways()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> disposed = flight.RunAsync("k", loads.Start);
        SimpleTask<int> canceled = flight.RunAsync("k", loads.Start, cancellation.Token);
        SimpleTask<int> withTokenDisposed = flight.RunAsync("k", loads.Start, cancellation.Token);

        disposed.Dispose();
        withTokenDisposed.Dispose();
        Assert.False(loads.TokenOf(0).IsCancellationRequested, "a caller with a token is still waiting, so the load must go on");
        cancellation.Cancel();

        Assert.True(loads.TokenOf(0).IsCancellationRequested, "the last caller left, so the load's token should be canceled");
        canceled.Dispose();
    }

    [Fact]
    public void Load_token_is_not_canceled_when_callers_release_after_completion()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> first = flight.RunAsync("k", loads.Start);
        SimpleTask<int> second = flight.RunAsync("k", loads.Start);
        CancellationToken loadToken = loads.TokenOf(0);

        loads.Complete(0, 1);
        first.Dispose();
        second.Dispose();

        Assert.False(loadToken.IsCancellationRequested, "the load finished before its callers left, so nothing should be canceled");
    }

    [Fact]
    public void Caller_arriving_after_every_other_caller_left_starts_a_new_load_with_a_live_token()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        flight.RunAsync("k", loads.Start).Dispose();

        SimpleTask<int> fresh = flight.RunAsync("k", loads.Start);

        Assert.True(loads.Starts == 2, $"the abandoned load must not be joined, so a new one should start; started {loads.Starts}");
        Assert.False(loads.TokenOf(1).IsCancellationRequested, "the new load's token must not inherit the old cancellation");
        loads.Complete(1, 5);
        Assert.Equal(5, fresh.GetAwaiter().GetResult());
    }

    [Fact]
    public void Abandoned_load_completing_later_does_not_disturb_the_next_flight_of_its_key()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        flight.RunAsync("k", loads.Start).Dispose();
        SimpleTask<int> next = flight.RunAsync("k", loads.Start);

        loads.Complete(0, 111);

        Assert.False(next.IsCompleted, "the abandoned load's outcome must not reach the next flight's caller");
        Assert.True(flight.InFlightCount == 1, $"the next flight should still be in flight, counted {flight.InFlightCount}");
        loads.Complete(1, 222);
        Assert.Equal(222, next.GetAwaiter().GetResult());
    }

    [Fact]
    public void Many_abandoned_flights_reuse_their_frames_without_cross_talk()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        for (int round = 0; round < 50; round++)
        {
            flight.RunAsync("k", loads.Start).Dispose();
            loads.Complete(round * 2, -1);
            SimpleTask<int> kept = flight.RunAsync("k", loads.Start);
            loads.Complete((round * 2) + 1, round);
            Assert.Equal(round, kept.GetAwaiter().GetResult());
        }

        Assert.True(flight.InFlightCount == 0, $"nothing should be left in flight, counted {flight.InFlightCount}");
    }
}
