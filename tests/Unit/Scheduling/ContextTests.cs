using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Scheduling;

public class ContextTests
{
    private static readonly AsyncLocal<string?> s_ambient = new();

    private static async SimpleTask<string?> ReadAmbientAfter(SimpleTask<int> gate)
    {
        await gate;
        return s_ambient.Value;
    }

    [Fact]
    public async Task AsyncLocal_flows_into_a_continuation_resumed_on_another_thread()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        s_ambient.Value = "caller";
        SimpleTask<string?> task = ReadAmbientAfter(source.Task);
        s_ambient.Value = null;

        await Task.Run(() => source.SetResult(1));

        Assert.Equal("caller", await task);
    }

    [Fact]
    public void AsyncLocal_set_inside_a_method_stays_inside_it()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        s_ambient.Value = "outer";
        SimpleTask<string?> task = SetThenRead(source.Task);

        Assert.Equal("outer", s_ambient.Value);
        source.SetResult(1);
        Assert.Equal("outer", s_ambient.Value);
        Assert.Equal("inner", task.GetAwaiter().GetResult());
        s_ambient.Value = null;
    }

    private static async SimpleTask<string?> SetThenRead(SimpleTask<int> gate)
    {
        s_ambient.Value = "inner";
        await gate;
        return s_ambient.Value;
    }

    [Fact]
    public void OnCompleted_flows_the_execution_context_and_UnsafeOnCompleted_does_not()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        string? flowed = "unset", unflowed = "unset";
        SimpleTask<int> a = source.Task, b = source.Task;
        s_ambient.Value = "registered";
        a.GetAwaiter().OnCompleted(() => flowed = s_ambient.Value);
        b.GetAwaiter().UnsafeOnCompleted(() => unflowed = s_ambient.Value);
        s_ambient.Value = null;

        source.SetResult(1);

        Assert.Equal("registered", flowed);
        Assert.Null(unflowed);
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void Continuation_is_posted_to_the_captured_SynchronizationContext()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        var context = new QueueSynchronizationContext();
        SimpleTask<SynchronizationContext?> task = StartUnder(context, () => ContextAfter(source.Task, continueOnCapturedContext: true));

        source.SetResult(1);
        Assert.False(task.IsCompleted, "the continuation must wait for the context, not run on the completing thread");
        Assert.Equal(1, context.PostedCount);

        context.RunPosted();

        Assert.Same(context, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void ConfigureAwait_false_resumes_on_the_completing_thread_without_posting()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        var context = new QueueSynchronizationContext();
        SimpleTask<SynchronizationContext?> task = StartUnder(context, () => ContextAfter(source.Task, continueOnCapturedContext: false));

        source.SetResult(1);

        Assert.True(task.IsCompleted);
        Assert.Equal(0, context.PostedCount);
        Assert.Null(task.GetAwaiter().GetResult());
    }

    /// <summary>Starts a method with <paramref name="context"/> as the current context, then clears it again.</summary>
    private static SimpleTask<TResult> StartUnder<TResult>(SynchronizationContext context, Func<SimpleTask<TResult>> start)
    {
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            return start();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }
    }

    private static async SimpleTask<SynchronizationContext?> ContextAfter(SimpleTask<int> gate, bool continueOnCapturedContext)
    {
        await gate.ConfigureAwait(continueOnCapturedContext);
        return SynchronizationContext.Current;
    }

    [Fact]
    public async Task Continuation_runs_on_the_captured_TaskScheduler()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        var pair = new ConcurrentExclusiveSchedulerPair();
        SimpleTask<TaskScheduler> task = await Task.Factory.StartNew(
            () => SchedulerAfter(source.Task),
            CancellationToken.None,
            TaskCreationOptions.None,
            pair.ExclusiveScheduler);

        source.SetResult(1);

        Assert.Same(pair.ExclusiveScheduler, await task);
    }

    private static async SimpleTask<TaskScheduler> SchedulerAfter(SimpleTask<int> gate)
    {
        await gate;
        return TaskScheduler.Current;
    }
}
