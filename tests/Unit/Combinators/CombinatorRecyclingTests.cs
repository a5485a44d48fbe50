using SharedTask.Combinators;
using SharedTask.Frames;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Combinators;

/// <summary>
/// Combinator frames and their nodes go back to their pools exactly once per use, whichever way the use ends. Each test
/// uses its own result type, so its pools come from a counting provider no other test touches.
/// </summary>
public class CombinatorRecyclingTests
{
    private readonly record struct PairProbe(int Value);

    private readonly record struct ReleaseProbe(int Value);

    private readonly record struct DisposedTokenProbe(int Value);

    private readonly record struct TimerProbe(int Value);

    [Fact]
    public void WhenAll_frame_and_nodes_return_exactly_once_after_the_outcome_is_consumed()
    {
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(
            () => SimpleTask.WhenAll(new SimpleTask<PairProbe>(default), new SimpleTask<PairProbe>(default)).Dispose());
        CountingPoolProvider.CountingPool<WhenAllPairFrame<PairProbe, PairProbe>> frames = provider.PoolOf<WhenAllPairFrame<PairProbe, PairProbe>>()!;
        CountingPoolProvider.CountingPool<InputWaiter<PairProbe>> nodes = provider.PoolOf<InputWaiter<PairProbe>>()!;
        (int framesBefore, int nodesBefore) = (frames.Returned, nodes.Returned);
        using var first = new SimpleTaskCompletionSource<PairProbe>();
        using var second = new SimpleTaskCompletionSource<PairProbe>();
        SimpleTask<(PairProbe, PairProbe)> both = SimpleTask.WhenAll(first.Task, second.Task);
        SimpleTask<(PairProbe, PairProbe)> share = both.Share();

        first.SetResult(new PairProbe(1));
        second.SetException(new FormatException());
        Assert.Throws<FormatException>(() => both.GetAwaiter().GetResult());
        Assert.Equal(framesBefore, frames.Returned);
        Assert.Throws<FormatException>(() => share.GetAwaiter().GetResult());

        Assert.True(frames.Returned == framesBefore + 1, $"the frame should be back exactly once after its last handle, saw {frames.Returned - framesBefore} returns");
        Assert.True(nodes.Returned == nodesBefore + 2, $"each node should be back exactly once with its frame, saw {nodes.Returned - nodesBefore} returns");
    }

    [Fact]
    public void Canceled_wait_returns_its_frame_at_once_and_releases_the_handle_exactly_once_when_the_operation_completes()
    {
        using var cancellation = new CancellationTokenSource();
        CountingPoolProvider provider = InstallForWaits<ReleaseProbe>();
        CountingPoolProvider.CountingPool<SourceFrame<ReleaseProbe>> operations = provider.PoolOf<SourceFrame<ReleaseProbe>>()!;
        CountingPoolProvider.CountingPool<WaitFrame<ReleaseProbe>> waits = provider.PoolOf<WaitFrame<ReleaseProbe>>()!;
        CountingPoolProvider.CountingPool<InputWaiter<ReleaseProbe>> nodes = provider.PoolOf<InputWaiter<ReleaseProbe>>()!;
        (int operationsBefore, int waitsBefore, int nodesBefore) = (operations.Returned, waits.Returned, nodes.Returned);
        var source = new SimpleTaskCompletionSource<ReleaseProbe>();
        SimpleTask<ReleaseProbe> wait = source.Task.WaitAsync(cancellation.Token);

        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => wait.GetAwaiter().GetResult());

        Assert.True(waits.Returned == waitsBefore + 1, $"the canceled wait's frame should be back once its handle was consumed, saw {waits.Returned - waitsBefore} returns");
        Assert.True(nodes.Returned == nodesBefore, "the detached node must stay on the operation until it completes");
        source.SetResult(new ReleaseProbe(1));
        source.Dispose();
        Assert.True(nodes.Returned == nodesBefore + 1, $"the node should be back exactly once after releasing the handle, saw {nodes.Returned - nodesBefore} returns");
        Assert.True(
            operations.Returned == operationsBefore + 1,
            $"the operation's frame should be back exactly once (the wait released its reference), saw {operations.Returned - operationsBefore} returns");
        Assert.Equal(waitsBefore + 1, waits.Returned);
    }

    [Fact]
    public void Wait_whose_token_source_was_disposed_still_returns_its_frame_when_the_operation_completes()
    {
        CountingPoolProvider provider = InstallForWaits<DisposedTokenProbe>();
        CountingPoolProvider.CountingPool<WaitFrame<DisposedTokenProbe>> waits = provider.PoolOf<WaitFrame<DisposedTokenProbe>>()!;
        int waitsBefore = waits.Returned;
        using var source = new SimpleTaskCompletionSource<DisposedTokenProbe>();
        var cancellation = new CancellationTokenSource();
        SimpleTask<DisposedTokenProbe> wait = source.Task.WaitAsync(cancellation.Token);

        cancellation.Dispose();
        source.SetResult(new DisposedTokenProbe(2));

        Assert.Equal(new DisposedTokenProbe(2), wait.GetAwaiter().GetResult());
        Assert.True(waits.Returned == waitsBefore + 1, $"the wait's frame should be back once, saw {waits.Returned - waitsBefore} returns");
    }

    [Fact]
    public void Frame_reused_after_its_timeout_fired_starts_its_next_use_with_a_fresh_timer()
    {
        using var scope = NoSynchronizationContext.Enter();
        CountingPoolProvider provider = InstallForWaits<TimerProbe>();
        CountingPoolProvider.CountingPool<WaitFrame<TimerProbe>> waits = provider.PoolOf<WaitFrame<TimerProbe>>()!;
        using var first = new SimpleTaskCompletionSource<TimerProbe>();
        Task<TimerProbe> timedOut = first.Task.WaitAsync(TimeSpan.FromMilliseconds(10)).AsTask();
        Assert.True(((IAsyncResult)timedOut).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the timeout never fired");
        Assert.IsType<TimeoutException>(timedOut.Exception?.InnerException);
        // The timer's callback resumed AsTask's await (which released the handle) from inside its completion, and lets go
        // of the use only after that: wait for the use to end, not just for the Task.
        Assert.True(
            SpinWait.SpinUntil(() => waits.Returned == 2, TimeSpan.FromSeconds(30)),
            $"the timed-out wait's frame never went back to its pool (returns: {waits.Returned}, the warm-up's included)");
        int rentedBefore = waits.Rented;

        using var second = new SimpleTaskCompletionSource<TimerProbe>();
        SimpleTask<TimerProbe> wait = second.Task.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(waits.Rented == rentedBefore + 1 && waits.Created == 1, "the second wait should reuse the one frame");
        Assert.False(wait.IsCompleted, "a reused frame must not inherit the fired timer");
        second.SetResult(new TimerProbe(3));

        Assert.Equal(new TimerProbe(3), wait.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Creates the pools of a WaitAsync over <typeparamref name="TProbe"/> (the operation's frame, the wait's frame, the
    /// node, the timer source's first use) from a new counting provider.
    /// </summary>
    private static CountingPoolProvider InstallForWaits<TProbe>() => CountingPoolProvider.InstallFor(() =>
    {
        using var warm = new SimpleTaskCompletionSource<TProbe>();
        using var warmCancellation = new CancellationTokenSource();
        SimpleTask<TProbe> warmWait = warm.Task.WaitAsync(TimeSpan.FromMinutes(1), warmCancellation.Token);
        warm.SetResult(default!);
        warmWait.Dispose();
    });
}
