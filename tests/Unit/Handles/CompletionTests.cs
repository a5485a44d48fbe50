using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.HandleBehaviour;

public class CompletionTests
{
    private static async SimpleTask<int> AddOneWithoutSuspending(int value)
    {
        await SimpleTask.CompletedTask;
        return value + 1;
    }

    private static async SimpleTask<int> AddOneAfter(SimpleTask<int> gate) => await gate + 1;

    [Fact]
    public void Method_that_completes_without_suspending_returns_inline_result_and_no_frame()
    {
        SimpleTask<int> task = AddOneWithoutSuspending(41);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Null(task._frame);
        Assert.Equal(42, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Default_task_is_completed_with_default_result_like_default_ValueTask()
    {
        SimpleTask<string?> task = default;

        Assert.True(task.IsCompleted);
        Assert.True(task.IsCompletedSuccessfully);
        Assert.False(task.IsFaulted);
        Assert.False(task.IsCanceled);
        Assert.Null(task.GetAwaiter().GetResult());
        Assert.True(default(SimpleTask).IsCompletedSuccessfully);
        default(SimpleTask).GetAwaiter().GetResult();
    }

    [Fact]
    public void Constructed_and_FromResult_tasks_hold_their_result_inline()
    {
        Assert.Equal(7, new SimpleTask<int>(7).GetAwaiter().GetResult());
        Assert.Equal("x", SimpleTask.FromResult("x").GetAwaiter().GetResult());
        Assert.Null(SimpleTask.FromResult(1)._frame);
    }

    [Fact]
    public async Task Suspended_method_completes_when_its_awaited_source_completes()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = AddOneAfter(source.Task);
        Assert.False(task.IsCompleted, "the method should be suspended until the source completes");

        source.SetResult(9);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(10, await task);
    }

    [Fact]
    public void FromException_is_faulted_and_rethrows_the_same_exception()
    {
        var error = new InvalidTimeZoneException("boom");
        SimpleTask<int> task = SimpleTask.FromException<int>(error);

        Assert.True(task.IsFaulted);
        Assert.False(task.IsCanceled);
        Assert.Same(error, Assert.Throws<InvalidTimeZoneException>(() => task.GetAwaiter().GetResult()));
    }

    [Fact]
    public void FromCanceled_is_canceled_and_throws_OperationCanceledException_with_the_token()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        SimpleTask<int> task = SimpleTask.FromCanceled<int>(cts.Token);

        Assert.True(task.IsCanceled);
        Assert.False(task.IsFaulted);
        var thrown = Assert.Throws<OperationCanceledException>(() => task.GetAwaiter().GetResult());
        Assert.Equal(cts.Token, thrown.CancellationToken);
    }

    [Fact]
    public void FromCanceled_with_a_token_not_canceled_throws_ArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SimpleTask.FromCanceled<int>(CancellationToken.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => SimpleTask.FromCanceled(CancellationToken.None));
    }

    [Fact]
    public void FromException_with_null_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => SimpleTask.FromException<int>(null!));
        Assert.Throws<ArgumentNullException>(() => SimpleTask.FromException(null!));
    }

    [Fact]
    public void Exception_thrown_after_suspension_faults_the_task_and_keeps_the_original_stack_trace()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = ThrowAfter(source.Task);
        source.SetResult(1);

        Assert.True(task.IsFaulted);
        var thrown = Assert.Throws<FormatException>(() => task.GetAwaiter().GetResult());
        Assert.Contains(nameof(ThrowAfter), thrown.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void OperationCanceledException_thrown_by_the_body_means_canceled()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = CancelAfter(source.Task);
        source.SetResult(1);

        Assert.True(task.IsCanceled);
        Assert.Throws<OperationCanceledException>(() => task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Synchronous_exception_faults_the_returned_task_instead_of_throwing_from_the_call()
    {
        SimpleTask<int> task = ThrowSynchronously();

        Assert.True(task.IsFaulted);
        Assert.Throws<FormatException>(() => task.GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Non_generic_SimpleTask_method_runs_completes_and_faults()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        int observed = 0;
        SimpleTask ok = Record(source.Task.Share(), v => observed = v);
        SimpleTask bad = Record(source.Task, _ => throw new FormatException());
        Assert.False(ok.IsCompleted);

        source.SetResult(5);

        await ok;
        Assert.Equal(5, observed);
        Assert.True(bad.IsFaulted);
        await Assert.ThrowsAsync<FormatException>(async () => await bad);
    }

    private static async SimpleTask Record(SimpleTask<int> gate, Action<int> record) => record(await gate);

    private static async SimpleTask<int> ThrowAfter(SimpleTask<int> gate)
    {
        await gate;
        throw new FormatException("thrown after the await");
    }

    private static async SimpleTask<int> CancelAfter(SimpleTask<int> gate)
    {
        await gate;
        throw new OperationCanceledException();
    }

#pragma warning disable CS1998 // An async method with no await: the synchronous-exception path under test.
    private static async SimpleTask<int> ThrowSynchronously() => throw new FormatException();
#pragma warning restore CS1998

    [Fact]
    public void GetResult_before_completion_throws_InvalidOperationException()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = source.Task;

        Assert.Throws<InvalidOperationException>(() => task.GetAwaiter().GetResult());
        task.Dispose();
    }

    [Fact]
    public void ToString_names_the_result_type()
    {
        Assert.Contains("Int32", new SimpleTask<int>(1).ToString(), StringComparison.Ordinal);
    }
}
