namespace SharedTask.Tests.Unit.Parity;

/// <summary>
/// Where a continuation runs when the operation completes, side by side with Task: a continuation runs on the
/// completing thread only where Task would run it there.
/// </summary>
public class InlineResumptionTests
{
    private static async SimpleTask<Seen> ObserveSimple(SimpleTask<bool> gate, bool continueOnCapturedContext)
    {
        await gate.ConfigureAwait(continueOnCapturedContext);
        return Seen.Now();
    }

    private static async Task<Seen> ObserveTask(Task<bool> gate, bool continueOnCapturedContext)
    {
        await gate.ConfigureAwait(continueOnCapturedContext);
        return Seen.Now();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Completing_under_a_foreign_SynchronizationContext_sends_context_free_continuations_to_the_pool_as_Task_does(
        bool continueOnCapturedContext)
    {
        // Started on a pool thread: neither awaiter captures a context, whatever ConfigureAwait says.
        (SimpleTask<Seen> simple, Task<Seen> task, SimpleTaskCompletionSource<bool> source, TaskCompletionSource<bool> completion) =
            await Task.Run(() =>
            {
                var source = new SimpleTaskCompletionSource<bool>();
                var completion = new TaskCompletionSource<bool>();
                return (ObserveSimple(source.Task, continueOnCapturedContext), ObserveTask(completion.Task, continueOnCapturedContext), source, completion);
            });
        var foreign = new ForeignContext();

        Thread completer = foreign.RunOnOwnThread(() =>
        {
            source.SetResult(true);
            completion.SetResult(true);
        });

        Seen bySimple = await simple.AsTask();
        Seen byTask = await task;
        Assert.Null(byTask.Context);
        Assert.NotSame(completer, byTask.Thread);
        Assert.Null(bySimple.Context);
        Assert.NotSame(completer, bySimple.Thread);
        Assert.Equal(0, foreign.Posted);
        source.Dispose();
    }

    [Fact]
    public async Task Completing_inside_a_custom_TaskScheduler_sends_context_free_continuations_to_the_pool_as_Task_does()
    {
        (SimpleTask<Seen> simple, Task<Seen> task, SimpleTaskCompletionSource<bool> source, TaskCompletionSource<bool> completion) =
            await Task.Run(() =>
            {
                var source = new SimpleTaskCompletionSource<bool>();
                var completion = new TaskCompletionSource<bool>();
                return (ObserveSimple(source.Task, false), ObserveTask(completion.Task, false), source, completion);
            });
        using var scheduler = new OwnThreadScheduler();

        await Task.Factory.StartNew(
            () =>
            {
                source.SetResult(true);
                completion.SetResult(true);
            },
            CancellationToken.None,
            TaskCreationOptions.None,
            scheduler);

        Seen bySimple = await simple.AsTask();
        Seen byTask = await task;
        Assert.Same(TaskScheduler.Default, byTask.Scheduler);
        Assert.NotSame(scheduler.Thread, byTask.Thread);
        Assert.Same(TaskScheduler.Default, bySimple.Scheduler);
        Assert.NotSame(scheduler.Thread, bySimple.Thread);
        source.Dispose();
    }

    [Fact]
    public void A_continuation_that_captured_the_context_current_on_the_completing_thread_runs_inline_as_Tasks_does()
    {
        var context = new ForeignContext();
        bool simpleInline = false;
        bool taskInline = false;

        context.RunOnOwnThread(() =>
        {
            var source = new SimpleTaskCompletionSource<bool>();
            var completion = new TaskCompletionSource<bool>();
            SimpleTask<Seen> simple = ObserveSimple(source.Task, continueOnCapturedContext: true);
            Task<Seen> task = ObserveTask(completion.Task, continueOnCapturedContext: true);

            source.SetResult(true);
            completion.SetResult(true);

            simpleInline = simple.IsCompleted;
            taskInline = task.IsCompleted;
            simple.Dispose();
            source.Dispose();
        });

        Assert.True(taskInline, "Task runs a continuation inline when its captured context is the current one");
        Assert.True(simpleInline, "SimpleTask should too");
        Assert.Equal(0, context.Posted);
    }

    [Fact]
    public void Every_awaiter_of_a_completion_on_a_plain_thread_runs_on_that_thread_before_SetResult_returns()
    {
        var seen = new List<int>();
        int completer = 0;
        var thread = new Thread(() =>
        {
            using var source = new SimpleTaskCompletionSource<bool>();
            PromisePtr<bool> shared = source.Task.ToPromisePtr();
            for (int index = 0; index < 3; index++)
            {
                Record(shared.Copy(), seen);
            }

            completer = Environment.CurrentManagedThreadId;
            source.SetResult(true);
            lock (seen)
            {
                seen.Add(-1);
            }

            shared.Dispose();
        });
        thread.Start();
        thread.Join();

        Assert.Equal([completer, completer, completer, -1], seen);

        static async void Record(PromisePtr<bool> copy, List<int> seen)
        {
            using (copy)
            {
                await copy.ConfigureAwait(false);
            }

            lock (seen)
            {
                seen.Add(Environment.CurrentManagedThreadId);
            }
        }
    }
}
