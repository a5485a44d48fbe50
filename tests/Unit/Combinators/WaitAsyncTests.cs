using SharedTask.Frames;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Combinators;

/// <summary>WaitAsync: a token or a timeout ends one wait, never the operation or its other awaiters.</summary>
public class WaitAsyncTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    [Fact]
    public void WaitAsync_completes_with_the_operations_result_when_it_comes_first()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        SimpleTask<int> wait = source.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellation.Token);

        source.SetResult(6);

        Assert.Equal(6, wait.GetAwaiter().GetResult());
    }

    [Fact]
    public void WaitAsync_completes_with_the_operations_exception_when_it_comes_first()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        SimpleTask<int> wait = source.Task.WaitAsync(cancellation.Token);

        source.SetException(new FormatException("from the operation"));

        Assert.Equal("from the operation", Assert.Throws<FormatException>(() => wait.GetAwaiter().GetResult()).Message);
    }

    [Fact]
    public void Canceling_the_token_cancels_only_that_wait_and_leaves_the_operation_and_other_awaiters_running()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        SimpleTask<int> other = source.Task;
        SimpleTask<int> wait = source.Task.WaitAsync(cancellation.Token);

        cancellation.Cancel();

        Assert.True(wait.IsCanceled, "the wait whose token fired should be canceled at once");
        OperationCanceledException thrown = Assert.ThrowsAny<OperationCanceledException>(() => wait.GetAwaiter().GetResult());
        Assert.Equal(cancellation.Token, thrown.CancellationToken);
        Assert.False(other.IsCompleted, "another awaiter of the operation must not be touched");
        Assert.True(source.TrySetResult(9), "the operation itself must not be completed by a wait's cancellation");
        Assert.Equal(9, other.GetAwaiter().GetResult());
    }

    [Fact]
    public void Timeout_fails_only_that_wait_with_TimeoutException()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> other = source.Task;
        Task<int> wait = source.Task.WaitAsync(TimeSpan.FromMilliseconds(20)).AsTask();

        Assert.True(((IAsyncResult)wait).AsyncWaitHandle.WaitOne(SafetyNet), "the timeout never fired");

        Assert.IsType<TimeoutException>(wait.Exception?.InnerException);
        Assert.False(other.IsCompleted, "another awaiter of the operation must not be touched");
        source.SetResult(1);
        Assert.Equal(1, other.GetAwaiter().GetResult());
    }

    [Fact]
    public void WaitAsync_of_a_completed_task_is_that_same_handle()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        source.SetResult(4);
        SimpleTask<int> task = source.Task;
        Frame<int>? frame = task._frame;

        SimpleTask<int> wait = task.WaitAsync(TimeSpan.FromSeconds(1), cancellation.Token);

        Assert.Same(frame, wait._frame);
        Assert.Equal(4, wait.GetAwaiter().GetResult());
    }

    [Fact]
    public void WaitAsync_with_a_token_already_canceled_is_canceled_at_once_and_releases_the_handle()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        SimpleTask<int> task = source.Task;
        Frame<int> frame = task._frame!;
        int seatsBefore = frame.OutstandingHandles;

        SimpleTask<int> wait = task.WaitAsync(cancellation.Token);

        Assert.True(wait.IsCanceled);
        Assert.Equal(seatsBefore - 1, frame.OutstandingHandles);
        Assert.ThrowsAny<OperationCanceledException>(() => wait.GetAwaiter().GetResult());
    }

    [Fact]
    public void WaitAsync_with_a_zero_timeout_on_a_pending_task_times_out_at_once()
    {
        using var source = new SimpleTaskCompletionSource<int>();

        SimpleTask<int> wait = source.Task.WaitAsync(TimeSpan.Zero);

        Assert.Throws<TimeoutException>(() => wait.GetAwaiter().GetResult());
    }

    [Fact]
    public void WaitAsync_with_a_negative_timeout_throws_ArgumentOutOfRangeException_and_still_releases_the_handle()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = source.Task;
        Frame<int> frame = task._frame!;
        int handlesBefore = frame.OutstandingHandles;

        Assert.Throws<ArgumentOutOfRangeException>(() => task.WaitAsync(TimeSpan.FromMilliseconds(-2)));

        Assert.Equal(handlesBefore - 1, frame.OutstandingHandles);
    }

    [Fact]
    public void Token_firing_after_the_operation_completed_the_wait_changes_nothing()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        SimpleTask<int> wait = source.Task.WaitAsync(cancellation.Token);
        source.SetResult(3);

        cancellation.Cancel();

        Assert.Equal(3, wait.GetAwaiter().GetResult());
    }

    [Fact]
    public void Operation_completing_after_its_canceled_waits_frame_was_reused_does_not_touch_the_new_wait()
    {
        using var abandoned = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        SimpleTask<int> canceled = abandoned.Task.WaitAsync(cancellation.Token);
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => canceled.GetAwaiter().GetResult());
        using var next = new SimpleTaskCompletionSource<int>();
        using var nextCancellation = new CancellationTokenSource();
        SimpleTask<int> wait = next.Task.WaitAsync(nextCancellation.Token);
        Assert.True(ReferenceEquals(canceled._frame, wait._frame), "this test needs the frame reused (this thread's pool tier is LIFO)");

        abandoned.SetResult(1); // the canceled wait's detached node runs now, while its frame may serve the new wait

        Assert.False(wait.IsCompleted, "a node detached from an earlier wait must never deliver into a later one");
        next.SetResult(2);
        Assert.Equal(2, wait.GetAwaiter().GetResult());
    }

    [Fact]
    public void PromisePtr_WaitAsync_takes_its_own_reference_and_leaves_the_pointer_owned()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        using PromisePtr<int> ptr = source.Task.ToPromisePtr();

        SimpleTask<int> wait = ptr.WaitAsync(cancellation.Token);
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => wait.GetAwaiter().GetResult());
        Assert.False(ptr.IsNull);
        source.SetResult(12);
        Assert.Equal(12, ptr.GetAwaiter().GetResult());
    }

    [Fact]
    public void Non_generic_WaitAsync_times_out_only_that_wait()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask operation = Ignore(source.Task);
        using PromisePtr ptr = operation.ToPromisePtr();
        Task wait = ptr.WaitAsync(TimeSpan.FromMilliseconds(20)).AsTask();

        Assert.True(((IAsyncResult)wait).AsyncWaitHandle.WaitOne(SafetyNet), "the timeout never fired");

        Assert.IsType<TimeoutException>(wait.Exception?.InnerException);
        Assert.False(ptr.IsCompleted, "the operation must not be completed by a wait's timeout");
        source.SetResult(0);
        Assert.True(ptr.IsCompletedSuccessfully);
    }

    private static async SimpleTask Ignore(SimpleTask<int> task) => await task;
}
