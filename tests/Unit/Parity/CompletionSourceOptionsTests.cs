namespace SharedTask.Tests.Unit.Parity;

/// <summary>
/// The completion source's TaskCompletionSource-like options: RunContinuationsAsynchronously (and the sibling-awaiter
/// behaviour it exists for), and faulting with several exceptions.
/// </summary>
public class CompletionSourceOptionsTests
{
    private static async SimpleTask<Thread> ThreadAfter(SimpleTask<int> gate)
    {
        await gate.ConfigureAwait(false);
        return Thread.CurrentThread;
    }

    [Fact]
    public async Task RunContinuationsAsynchronously_runs_no_continuation_on_the_completing_thread()
    {
        var source = new SimpleTaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        SimpleTask<Thread>[] awaiters = [ThreadAfter(source.Task), ThreadAfter(source.Task), ThreadAfter(source.Task)];

        var completer = new Thread(() => source.SetResult(1));
        completer.Start();
        completer.Join();

        foreach (SimpleTask<Thread> awaiter in awaiters)
        {
            Assert.NotSame(completer, await awaiter.AsTask());
        }

        source.Dispose();
    }

    private static async SimpleTask<bool> WaitForSibling(SimpleTask<int> gate, ManualResetEventSlim siblingRan)
    {
        await gate.ConfigureAwait(false);
        return siblingRan.Wait(TimeSpan.FromSeconds(30));
    }

    private static async SimpleTask<bool> SawSibling(SimpleTask<int> gate, ManualResetEventSlim siblingRan)
    {
        await gate.ConfigureAwait(false);
        return siblingRan.IsSet;
    }

    private static async SimpleTask Signal(SimpleTask<int> gate, ManualResetEventSlim siblingRan)
    {
        await gate.ConfigureAwait(false);
        siblingRan.Set();
    }

    [Fact]
    public async Task With_RunContinuationsAsynchronously_an_awaiter_may_wait_for_a_sibling_awaiter()
    {
        using var siblingRan = new ManualResetEventSlim();
        using var source = new SimpleTaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        SimpleTask<bool> waiting = WaitForSibling(source.Task, siblingRan);
        SimpleTask sibling = Signal(source.Task, siblingRan);

        source.SetResult(1);

        Assert.True(await waiting.AsTask(), "the sibling should run on its own thread while the first awaiter waits");
        await sibling;
    }

    [Fact]
    public void Without_the_option_sibling_awaiters_run_one_after_another_on_the_completing_thread_in_registration_order()
    {
        using var siblingRan = new ManualResetEventSlim();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<bool> first = SawSibling(source.Task, siblingRan);
        SimpleTask sibling = Signal(source.Task, siblingRan);

        new Thread(() => source.SetResult(1)).UnsafeStartAndJoin();

        // The first awaiter ran before its sibling: had it blocked waiting for it, it would have waited forever.
        Assert.False(first.GetAwaiter().GetResult());
        Assert.True(siblingRan.IsSet);
        sibling.GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData(TaskCreationOptions.LongRunning)]
    [InlineData(TaskCreationOptions.AttachedToParent)]
    [InlineData(TaskCreationOptions.RunContinuationsAsynchronously | TaskCreationOptions.PreferFairness)]
    public void Options_other_than_RunContinuationsAsynchronously_are_refused(TaskCreationOptions options)
    {
        ArgumentOutOfRangeException refused = Assert.Throws<ArgumentOutOfRangeException>(() => new SimpleTaskCompletionSource<int>(options));
        Assert.Equal("creationOptions", refused.ParamName);
    }

    [Fact]
    public async Task SetException_with_several_exceptions_throws_the_first_from_await_and_keeps_all_in_AsTask()
    {
        var first = new FormatException("first");
        var second = new InvalidCastException("second");
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> awaited = source.Task;
        SimpleTask<int> bridged = source.Task;

        source.SetException([first, second]);

        Assert.True(awaited.IsFaulted);
        Assert.Same(first, await Assert.ThrowsAsync<FormatException>(async () => await awaited));
        Task<int> asTask = bridged.AsTask();
        Assert.True(asTask.IsFaulted);
        Assert.Equal<Exception>([first, second], asTask.Exception!.InnerExceptions);
    }

    [Fact]
    public async Task Several_exceptions_fault_the_operation_even_when_the_first_is_a_cancellation()
    {
        var canceled = new OperationCanceledException();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = source.Task;
        SimpleTask<int> bridged = source.Task;

        source.SetException([canceled, new FormatException()]);

        Assert.True(task.IsFaulted);
        Assert.False(task.IsCanceled);
        task.Dispose();
        Task<int> asTask = bridged.AsTask();
        Assert.True(asTask.IsFaulted);
        Assert.Equal(2, asTask.Exception!.InnerExceptions.Count);
        await Task.CompletedTask;
    }

    [Fact]
    public void A_single_exception_in_the_list_is_the_same_as_SetException_of_it()
    {
        var failure = new FormatException();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = source.Task;

        Assert.True(source.TrySetException([failure]));

        Assert.Same(failure, Assert.Throws<FormatException>(() => task.GetAwaiter().GetResult()));
    }

    [Fact]
    public void An_empty_list_or_a_null_element_is_refused_and_leaves_the_source_uncompleted()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = source.Task;

        Assert.Equal("exceptions", Assert.Throws<ArgumentException>(() => source.SetException([])).ParamName);
        Assert.Equal("exceptions", Assert.Throws<ArgumentException>(() => source.TrySetException([new FormatException(), null!])).ParamName);

        Assert.False(task.IsCompleted);
        source.SetResult(7);
        Assert.Equal(7, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void TrySetException_with_a_list_after_completion_returns_false_and_changes_nothing()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = source.Task;
        source.SetResult(3);

        Assert.False(source.TrySetException([new FormatException()]));
        Assert.Throws<InvalidOperationException>(() => source.SetException([new FormatException()]));
        Assert.Equal(3, task.GetAwaiter().GetResult());
    }
}

internal static class ThreadExtensions
{
    public static void UnsafeStartAndJoin(this Thread thread)
    {
        thread.Start();
        thread.Join();
    }
}
