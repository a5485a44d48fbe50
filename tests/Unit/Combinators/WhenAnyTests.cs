using SharedTask.Combinators;
using SharedTask.Frames;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Combinators;

/// <summary>SimpleTask.WhenAny: the first input decides; the others are released as they complete.</summary>
public class WhenAnyTests
{
    private readonly record struct LoserProbe(int Value);

    private readonly record struct FrameProbe(int Value);

    [Fact]
    public void WhenAny_completes_with_the_position_and_result_of_the_first_input_to_complete()
    {
        using var first = new SimpleTaskCompletionSource<string>();
        using var second = new SimpleTaskCompletionSource<string>();
        SimpleTask<(int Index, string Result)> any = SimpleTask.WhenAny(first.Task, second.Task);
        Assert.False(any.IsCompleted, "no input has completed yet");

        second.SetResult("second");
        first.SetResult("first");

        Assert.Equal((1, "second"), any.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAny_whose_first_input_to_complete_faulted_throws_that_inputs_exception()
    {
        using var first = new SimpleTaskCompletionSource<int>();
        using var second = new SimpleTaskCompletionSource<int>();
        SimpleTask<(int Index, int Result)> any = SimpleTask.WhenAny(first.Task, second.Task);

        first.SetException(new FormatException("first failed"));
        second.SetResult(2);

        FormatException thrown = Assert.Throws<FormatException>(() => any.GetAwaiter().GetResult());
        Assert.Equal("first failed", thrown.Message);
    }

    [Fact]
    public void WhenAny_picks_the_first_already_completed_input_in_input_order()
    {
        using var pending = new SimpleTaskCompletionSource<int>();

        SimpleTask<(int Index, int Result)> any = SimpleTask.WhenAny(pending.Task, new SimpleTask<int>(10), new SimpleTask<int>(20));

        Assert.True(any.IsCompletedSuccessfully, "an input that had completed decides during WhenAny itself");
        Assert.Equal((1, 10), any.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAny_drops_a_losers_later_exception_without_disturbing_the_losers_other_awaiters()
    {
        using var winner = new SimpleTaskCompletionSource<int>();
        using var loser = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> loserObserver = loser.Task;
        SimpleTask<(int Index, int Result)> any = SimpleTask.WhenAny(winner.Task, loser.Task);
        winner.SetResult(1);
        Assert.Equal((0, 1), any.GetAwaiter().GetResult());

        loser.SetException(new FormatException("only the loser's own awaiters see this"));

        Assert.Throws<FormatException>(() => loserObserver.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAny_releases_each_losers_reference_exactly_once_when_the_loser_completes()
    {
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() => new SimpleTaskCompletionSource<LoserProbe>().Dispose());
        CountingPoolProvider.CountingPool<SourceFrame<LoserProbe>> pool = provider.PoolOf<SourceFrame<LoserProbe>>()!;
        int returnedBefore = pool.Returned;
        using var winner = new SimpleTaskCompletionSource<LoserProbe>();
        var loser = new SimpleTaskCompletionSource<LoserProbe>();
        SimpleTask<(int Index, LoserProbe Result)> any = SimpleTask.WhenAny(winner.Task, loser.Task);
        winner.SetResult(new LoserProbe(1));
        any.GetAwaiter().GetResult();

        loser.Dispose(); // completes the loser (a broken promise) and drops the producer's reference
        winner.Dispose();

        Assert.True(
            pool.Returned == returnedBefore + 2,
            $"both operations' frames should be back exactly once when their last references went, saw {pool.Returned - returnedBefore} returns");
    }

    [Fact]
    public void WhenAny_frame_goes_back_to_its_pool_while_a_loser_still_runs()
    {
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(
            () => SimpleTask.WhenAny(new SimpleTask<FrameProbe>(default)).Dispose());
        CountingPoolProvider.CountingPool<WhenAnyValueFrame<FrameProbe>> pool = provider.PoolOf<WhenAnyValueFrame<FrameProbe>>()!;
        int returnedBefore = pool.Returned;
        using var winner = new SimpleTaskCompletionSource<FrameProbe>();
        using var loser = new SimpleTaskCompletionSource<FrameProbe>();
        SimpleTask<(int Index, FrameProbe Result)> any = SimpleTask.WhenAny(winner.Task, loser.Task);

        winner.SetResult(new FrameProbe(3));
        Assert.Equal((0, new FrameProbe(3)), any.GetAwaiter().GetResult());

        Assert.True(
            pool.Returned == returnedBefore + 1,
            $"the decided WhenAny's frame should be back once its handle was consumed, with a loser still pending; saw {pool.Returned - returnedBefore} returns");
        loser.SetResult(new FrameProbe(4));
        Assert.Equal(returnedBefore + 1, pool.Returned);
    }

    [Fact]
    public void Loser_completing_after_its_WhenAny_frame_was_reused_does_not_touch_the_new_use()
    {
        using var winner = new SimpleTaskCompletionSource<int>();
        using var loser = new SimpleTaskCompletionSource<int>();
        SimpleTask<(int Index, int Result)> first = SimpleTask.WhenAny(winner.Task, loser.Task);
        winner.SetResult(1);
        Assert.Equal((0, 1), first.GetAwaiter().GetResult());
        using var third = new SimpleTaskCompletionSource<int>();
        using var fourth = new SimpleTaskCompletionSource<int>();
        SimpleTask<(int Index, int Result)> second = SimpleTask.WhenAny(third.Task, fourth.Task);
        Assert.True(ReferenceEquals(first._frame, second._frame), "this test needs the frame reused (this thread's pool tier is LIFO)");

        loser.SetResult(2); // the first WhenAny's detached node runs now, while its frame may serve the second

        Assert.False(second.IsCompleted, "a node detached from an earlier use must never deliver into a later one");
        fourth.SetResult(4);
        Assert.Equal((1, 4), second.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAny_of_non_generic_tasks_returns_the_winners_position()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var first = new SimpleTaskCompletionSource<int>();
        using var second = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> any = SimpleTask.WhenAny(Ignore(first.Task), Ignore(second.Task));

        second.SetResult(2);

        Assert.Equal(1, any.GetAwaiter().GetResult());
        first.SetResult(1);
    }

    [Fact]
    public void WhenAny_of_no_tasks_throws_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SimpleTask.WhenAny(Array.Empty<SimpleTask<int>>()));
        Assert.Throws<ArgumentException>(() => SimpleTask.WhenAny(Array.Empty<SimpleTask>()));
    }

    [Fact]
    public void WhenAny_of_shared_handles_leaves_every_outcome_readable_through_the_pointers()
    {
        using var first = new SimpleTaskCompletionSource<int>();
        using var second = new SimpleTaskCompletionSource<int>();
        using PromisePtr<int> firstPtr = first.Task.ToPromisePtr();
        using PromisePtr<int> secondPtr = second.Task.ToPromisePtr();
        SimpleTask<(int Index, int Result)> any = SimpleTask.WhenAny(firstPtr.ShareTask(), secondPtr.ShareTask());

        second.SetResult(2);
        first.SetResult(1);

        Assert.Equal((1, 2), any.GetAwaiter().GetResult());
        Assert.Equal(1, firstPtr.GetAwaiter().GetResult());
        Assert.Equal(2, secondPtr.GetAwaiter().GetResult());
    }

    private static async SimpleTask Ignore(SimpleTask<int> task) => await task;
}
