using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.HandleBehaviour;

public class PromisePtrTests
{
    private static async SimpleTask<string> Echo(SimpleTask<string> gate) => await gate;

    [Fact]
    public async Task Awaiting_a_PromisePtr_does_not_release_it()
    {
        using var source = new SimpleTaskCompletionSource<string>();
        using PromisePtr<string> ptr = Echo(source.Task).ToPromisePtr();
        source.SetResult("hello");

        Assert.Equal("hello", await ptr);
        Assert.Equal("hello", await ptr);
        Assert.Equal("hello", await ptr.ConfigureAwait(false));
        Assert.False(ptr.IsNull);
    }

    [Fact]
    public void ToPromisePtr_moves_the_reference_and_Copy_adds_one()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<string>();
        SimpleTask<string> task = source.Task;
        var frame = task._frame!;
        Assert.Equal(1, frame.OutstandingHandles);

        PromisePtr<string> ptr = task.ToPromisePtr();
        Assert.Equal(1, frame.OutstandingHandles);

        PromisePtr<string> copy = ptr.Copy();
        Assert.Equal(2, frame.OutstandingHandles);

        copy.Dispose();
        ptr.Dispose();
        Assert.Equal(0, frame.OutstandingHandles);
    }

    [Fact]
    public void Dispose_makes_the_pointer_null_and_a_second_Dispose_of_the_same_variable_does_nothing()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        PromisePtr<int> ptr = source.Task.ToPromisePtr();
        SimpleTask<int> other = ptr.ShareTask();
        var frame = other._frame!;

        ptr.Dispose();
        ptr.Dispose();

        Assert.True(ptr.IsNull);
        Assert.Equal(1, frame.OutstandingHandles);
        other.Dispose();
    }

    [Fact]
    public void ToSimpleTask_moves_the_reference_out_and_leaves_the_pointer_null()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        PromisePtr<int> ptr = source.Task.ToPromisePtr();
        var frame = ptr.ShareTask()._frame!; // a second handle, released below
        int before = frame.OutstandingHandles;

        SimpleTask<int> task = ptr.ToSimpleTask();

        Assert.True(ptr.IsNull);
        Assert.Equal(before, frame.OutstandingHandles);
        source.SetResult(4);
        Assert.Equal(4, task.GetAwaiter().GetResult());
        ptr.Dispose(); // null: no-op
    }

    [Fact]
    public async Task Copies_on_other_threads_see_the_result_and_the_frame_returns_after_the_last_Dispose()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        PromisePtr<int> ptr = source.Task.ToPromisePtr();
        SimpleTask<int> extra = ptr.ShareTask();
        var frame = extra._frame!;
        uint generation = frame.Generation;
        using var registered = new CountdownEvent(4);
        Task<int>[] readers = [.. Enumerable.Range(0, 4).Select(_ =>
        {
            PromisePtr<int> copy = ptr.Copy();
            return Task.Run(async () =>
            {
                registered.Signal();
                int value = await copy;
                copy.Dispose();
                return value;
            });
        })];
        registered.Wait();
        source.SetResult(77);

        Assert.All(await Task.WhenAll(readers), v => Assert.Equal(77, v));
        extra.Dispose(); // the ShareTask reference
        ptr.Dispose();
        source.Dispose();
        Assert.NotEqual(generation, frame.Generation);
    }

    [Fact]
    public void Non_generic_PromisePtr_awaits_repeatedly_and_copies()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        using PromisePtr ptr = Wait(source.Task).ToPromisePtr();
        using PromisePtr copy = ptr.Copy();
        Assert.False(copy.IsCompleted);
        source.SetResult(1);

        Assert.True(ptr.IsCompletedSuccessfully);
        ptr.GetAwaiter().GetResult();
        copy.GetAwaiter().GetResult();
        ptr.GetAwaiter().GetResult();
    }

    private static async SimpleTask Wait(SimpleTask<int> gate) => await gate;

    [Fact]
    public void PromisePtr_reports_fault_and_cancellation_of_its_operation()
    {
        using var faulted = SimpleTask.FromException<int>(new FormatException()).ToPromisePtr();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var canceled = SimpleTask.FromCanceled<int>(cts.Token).ToPromisePtr();

        Assert.True(faulted.IsFaulted);
        Assert.True(canceled.IsCanceled);
        Assert.Throws<FormatException>(() => faulted.GetAwaiter().GetResult());
        Assert.Throws<FormatException>(() => faulted.GetAwaiter().GetResult());
        Assert.Throws<OperationCanceledException>(() => canceled.GetAwaiter().GetResult());
    }

    [Fact]
    public void PromisePtr_of_an_inline_result_is_not_null_and_awaits()
    {
        using PromisePtr<int> ptr = new SimpleTask<int>(5).ToPromisePtr();
        using PromisePtr<int> copy = ptr.Copy();

        Assert.False(ptr.IsNull);
        Assert.Equal(5, ptr.GetAwaiter().GetResult());
        Assert.Equal(5, copy.GetAwaiter().GetResult());
    }
}
