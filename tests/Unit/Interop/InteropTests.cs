using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Interop;

public class InteropTests
{
    [Fact]
    public async Task SimpleTask_method_can_await_Task_ValueTask_and_Yield()
    {
        Assert.Equal(6, await Mixed());
    }

    private static async SimpleTask<int> Mixed()
    {
        int a = await Task.Run(() => 1);
        int b = await new ValueTask<int>(2);
        await Task.Yield();
        int c = await Task.Run(() => 3).ConfigureAwait(false);
        await Task.Delay(1);
        return a + b + c;
    }

    [Fact]
    public async Task Task_based_method_can_await_a_SimpleTask_completed_on_another_thread()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;
        Task<int> waiting = AwaitFromTask(handle);

        await Task.Run(() => source.SetResult(12));

        Assert.Equal(12, await waiting);
    }

    private static async Task<int> AwaitFromTask(SimpleTask<int> task) => await task;

    [Fact]
    public async Task AsTask_carries_result_fault_and_cancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var pending = new SimpleTaskCompletionSource<int>();
        Task<int> fromPending = pending.Task.AsTask();
        pending.SetResult(3);

        Assert.Equal(3, await fromPending);
        Assert.Equal(4, await new SimpleTask<int>(4).AsTask());
        Task<int> faulted = SimpleTask.FromException<int>(new FormatException()).AsTask();
        await Assert.ThrowsAsync<FormatException>(() => faulted);
        Assert.True(faulted.IsFaulted);
        Task<int> canceled = SimpleTask.FromCanceled<int>(cts.Token).AsTask();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.True(canceled.IsCanceled);
    }

    [Fact]
    public async Task AsValueTask_carries_the_result_and_is_allocation_free_for_inline_results()
    {
        using var pending = new SimpleTaskCompletionSource<int>();
        ValueTask<int> fromPending = pending.Task.AsValueTask();
        pending.SetResult(5);
        Assert.Equal(5, await fromPending);

        ValueTask<int> inline = new SimpleTask<int>(6).AsValueTask();
        Assert.True(inline.IsCompletedSuccessfully);
        Assert.Equal(6, await inline);
        await SimpleTask.CompletedTask.AsValueTask();
        await SimpleTask.CompletedTask.AsTask();
    }

    [Fact]
    public async Task AsValueTask_of_a_pending_operation_carries_fault_and_cancellation()
    {
        using var faulting = new SimpleTaskCompletionSource<int>();
        using var canceling = new SimpleTaskCompletionSource<int>();
        using var voidSource = new SimpleTaskCompletionSource<int>();
        ValueTask<int> faulted = faulting.Task.AsValueTask();
        ValueTask<int> canceled = canceling.Task.AsValueTask();
        ValueTask voidTask = Wait(voidSource.Task).AsValueTask();
        Assert.False(voidTask.IsCompleted);

        faulting.SetException(new FormatException());
        canceling.SetCanceled();
        voidSource.SetResult(1);

        await Assert.ThrowsAsync<FormatException>(async () => await faulted);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await canceled);
        await voidTask;
    }

    private static async SimpleTask Wait(SimpleTask<int> gate) => await gate;

    [Fact]
    public void AsValueTask_of_a_pending_operation_allocates_nothing_in_steady_state()
    {
        using var scope = NoSynchronizationContext.Enter();
        int wrong = 0;
        void Operation()
        {
            var source = new SimpleTaskCompletionSource<int>();
            ValueTask<int> pending = source.Task.AsValueTask();
            source.SetResult(2);
            source.Dispose();
            if (!pending.IsCompleted || pending.Result != 2)
            {
                wrong++;
            }
        }

        for (int i = 0; i < 1000; i++)
        {
            Operation();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Operation();
        }

        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.True(bytes == 0, $"expected no allocation for AsValueTask of a pending operation, measured {bytes} bytes for 1000");
    }

    [Fact]
    public async Task Cancellation_token_cancels_the_awaited_work_and_the_task_reports_canceled()
    {
        using var cts = new CancellationTokenSource();
        SimpleTask<int> task = DelayThenReturn(cts.Token);
        Assert.False(task.IsCompleted);

        await cts.CancelAsync();
        using PromisePtr<int> ptr = task.ToPromisePtr();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ptr);

        Assert.True(ptr.IsCanceled);
    }

    private static async SimpleTask<int> DelayThenReturn(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 1;
    }

    [Fact]
    public void Awaiting_an_already_completed_handle_from_OnCompleted_still_runs_the_continuation_once()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var done = new ManualResetEventSlim();
        int ran = 0;

        new SimpleTask<int>(1).GetAwaiter().UnsafeOnCompleted(() =>
        {
            Interlocked.Increment(ref ran);
            done.Set();
        });

        Assert.True(done.Wait(TimeSpan.FromSeconds(30)), "the continuation of a completed task must still run");
        Assert.Equal(1, Volatile.Read(ref ran));
    }
}
