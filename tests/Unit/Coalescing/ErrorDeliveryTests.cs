namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>A load's exception reaches every caller waiting for it, and is not cached.</summary>
public class ErrorDeliveryTests
{
    [Fact]
    public void Load_exception_reaches_every_waiting_caller()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> plain = flight.RunAsync("k", loads.Start);
        SimpleTask<int> withToken = flight.RunAsync("k", loads.Start, cancellation.Token);
        var failure = new InvalidOperationException("backend down");

        loads.Fail(0, failure);

        Assert.True(plain.IsFaulted, "a caller without a token should see the load fault");
        Assert.True(withToken.IsFaulted, "a caller with a token should see the load fault");
        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => plain.GetAwaiter().GetResult()));
        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => withToken.GetAwaiter().GetResult()));
    }

    [Fact]
    public void Load_error_is_not_cached()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> failed = flight.RunAsync("k", loads.Start);
        loads.Fail(0, new TimeoutException());
        Assert.Throws<TimeoutException>(() => failed.GetAwaiter().GetResult());

        SimpleTask<int> retry = flight.RunAsync("k", loads.Start);

        Assert.True(loads.Starts == 2, $"a call after a failed load should start a new load, started {loads.Starts}");
        loads.Complete(1, 3);
        Assert.Equal(3, retry.GetAwaiter().GetResult());
    }

    [Fact]
    public void Load_delegate_that_throws_faults_its_callers_and_frees_the_key()
    {
        var flight = new SingleFlight<string, int>();
        var failure = new FormatException("bad key");

        SimpleTask<int> task = flight.RunAsync("k", failure, static (_, failure, _) => throw failure);

        Assert.True(task.IsFaulted, "the delegate's exception should fault the caller's task, not escape RunAsync");
        Assert.Same(failure, Assert.Throws<FormatException>(() => task.GetAwaiter().GetResult()));
        Assert.True(flight.InFlightCount == 0, $"the key should be free after the failure, counted {flight.InFlightCount}");
    }

    [Fact]
    public void Load_that_returns_an_already_released_handle_faults_its_callers_with_ObjectDisposedException()
    {
        var flight = new SingleFlight<string, int>();
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> released = source.Task;
        released.Dispose();
        source.Dispose();

#pragma warning disable SHTASK001 // Deliberate: the load returns a handle that was already released.
        SimpleTask<int> task = flight.RunAsync("k", released, static (_, released, _) => released);
#pragma warning restore SHTASK001

        Assert.Throws<ObjectDisposedException>(() => task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Load_that_cancels_itself_completes_its_callers_as_canceled()
    {
        using var loads = new ControlledLoads<int>();
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> task = flight.RunAsync("k", loads.Start);

        cancellation.Cancel();
        loads.Cancel(0, cancellation.Token);

        Assert.True(task.IsCanceled, "a load completed as canceled should cancel its callers");
        OperationCanceledException exception = Assert.ThrowsAny<OperationCanceledException>(() => task.GetAwaiter().GetResult());
        Assert.Equal(cancellation.Token, exception.CancellationToken);
    }
}
