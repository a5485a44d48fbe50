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
    public void Wait_whose_token_source_was_disposed_still_returns_its_frame_when_the_operation_completes()
    {
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() =>
        {
            using var warm = new SimpleTaskCompletionSource<DisposedTokenProbe>();
            using var warmCancellation = new CancellationTokenSource();
            SimpleTask<DisposedTokenProbe> warmWait = warm.Task.WaitAsync(warmCancellation.Token);
            warm.SetResult(default);
            warmWait.Dispose();
        });
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
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() =>
        {
            using var warm = new SimpleTaskCompletionSource<TimerProbe>();
            SimpleTask<TimerProbe> warmWait = warm.Task.WaitAsync(TimeSpan.FromMinutes(1));
            warm.SetResult(default);
            warmWait.Dispose();
        });
        CountingPoolProvider.CountingPool<WaitFrame<TimerProbe>> waits = provider.PoolOf<WaitFrame<TimerProbe>>()!;
        using var first = new SimpleTaskCompletionSource<TimerProbe>();
        Task<TimerProbe> timedOut = first.Task.WaitAsync(TimeSpan.FromMilliseconds(10)).AsTask();
        Assert.True(((IAsyncResult)timedOut).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the timeout never fired");
        Assert.IsType<TimeoutException>(timedOut.Exception?.InnerException);
        // AsTask's await consumed the handle, and so ended the use, before its Task completed.
        Assert.True(waits.Returned == 2, $"the warm-up's and the timed-out wait's frame uses should have ended, saw {waits.Returned}");
        int rentedBefore = waits.Rented;

        using var second = new SimpleTaskCompletionSource<TimerProbe>();
        SimpleTask<TimerProbe> wait = second.Task.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(waits.Rented == rentedBefore + 1 && waits.Created == 1, "the second wait should reuse the one frame");
        Assert.False(wait.IsCompleted, "a reused frame must not inherit the fired timer");
        second.SetResult(new TimerProbe(3));

        Assert.Equal(new TimerProbe(3), wait.GetAwaiter().GetResult());
    }
}
