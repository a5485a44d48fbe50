namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>RunAsync's <c>joined</c>: whether a caller's outcome is a coalesced one or its own load's (Go's <c>shared</c>).</summary>
public class JoinedFlagTests
{
    [Fact]
    public void Caller_that_starts_the_load_is_told_it_did_not_join()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> leader = flight.RunAsync("k", loads, ControlledLoads<int>.Load, out bool joined, CancellationToken.None);

        Assert.False(joined, "the caller that started the load did not join anybody's");
        loads.Complete(0, 1);
        Assert.Equal(1, leader.GetAwaiter().GetResult());
    }

    [Fact]
    public void Caller_that_finds_a_load_in_flight_is_told_it_joined()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> leader = flight.RunAsync("k", loads.Start);

        SimpleTask<int> plain = flight.RunAsync("k", loads.Start, out bool plainJoined, CancellationToken.None);
        SimpleTask<int> withToken = flight.RunAsync("k", loads.Start, out bool tokenJoined, cancellation.Token);

        Assert.True(plainJoined, "a caller without a token joined the load in flight");
        Assert.True(tokenJoined, "a caller with a token joined the load in flight");
        Assert.Equal(1, loads.Starts);
        loads.Complete(0, 5);
        Assert.Equal(5, leader.GetAwaiter().GetResult());
        Assert.Equal(5, plain.GetAwaiter().GetResult());
        Assert.Equal(5, withToken.GetAwaiter().GetResult());
    }

    [Fact]
    public void Caller_after_the_load_finished_starts_its_own_and_is_told_it_did_not_join()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> first = flight.RunAsync("k", loads.Start);
        loads.Complete(0, 1);
        Assert.Equal(1, first.GetAwaiter().GetResult());

        SimpleTask<int> second = flight.RunAsync("k", loads.Start, out bool joined, CancellationToken.None);

        Assert.False(joined, "outcomes are not cached: a caller after the load finished starts a new one");
        Assert.Equal(2, loads.Starts);
        loads.Complete(1, 2);
        Assert.Equal(2, second.GetAwaiter().GetResult());
    }

    [Fact]
    public void Caller_whose_token_already_fired_is_told_it_did_not_join()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> leader = flight.RunAsync("k", loads.Start);

        SimpleTask<int> canceled = flight.RunAsync("k", loads.Start, out bool joined, cancellation.Token);

        Assert.False(joined, "a caller canceled before it asked joined nothing");
        Assert.ThrowsAny<OperationCanceledException>(() => canceled.GetAwaiter().GetResult());
        loads.Complete(0, 3);
        Assert.Equal(3, leader.GetAwaiter().GetResult());
    }
}
