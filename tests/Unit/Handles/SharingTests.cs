using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.HandleBehaviour;

public class SharingTests
{
    private static async SimpleTask<int> Twice(SimpleTask<int> gate) => await gate * 2;

    [Fact]
    public void Every_shared_handle_gets_the_same_result()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = Twice(source.Task);
        SimpleTask<int>[] shares = [.. Enumerable.Range(0, 10).Select(_ => task.Share())];

        source.SetResult(21);

        Assert.All(shares, s => Assert.Equal(42, s.GetAwaiter().GetResult()));
        Assert.Equal(42, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Every_awaiter_registered_before_completion_resumes_exactly_once()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        const int awaiters = 64;
        int[] resumed = new int[awaiters];
        var consumers = new SimpleTask<int>[awaiters];
        for (int i = 0; i < awaiters; i++)
        {
            consumers[i] = CountResumes(source.Task, resumed, i);
        }

        source.SetResult(3);

        for (int i = 0; i < awaiters; i++)
        {
            Assert.Equal(3, consumers[i].GetAwaiter().GetResult());
            Assert.True(resumed[i] == 1, $"awaiter {i} resumed {resumed[i]} times");
        }
    }

    private static async SimpleTask<int> CountResumes(SimpleTask<int> gate, int[] resumed, int index)
    {
        int value = await gate;
        Interlocked.Increment(ref resumed[index]);
        return value;
    }

    [Fact]
    public async Task Awaiters_on_many_threads_all_see_the_result()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = Twice(source.Task);
        using var allRegistered = new CountdownEvent(8);
        Task<int>[] waiters = [.. Enumerable.Range(0, 8).Select(_ =>
        {
            SimpleTask<int> share = task.Share();
            return Task.Run(async () =>
            {
                allRegistered.Signal();
                return await share;
            });
        })];
        allRegistered.Wait();

        source.SetResult(50);

        Assert.All(await Task.WhenAll(waiters), v => Assert.Equal(100, v));
        task.Dispose();
    }

    [Fact]
    public void Exception_is_rethrown_to_every_awaiter_with_the_original_stack_trace()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = Fail(source.Task);
        SimpleTask<int> second = task.Share();
        source.SetResult(0);

        var first = Assert.Throws<InvalidProgramException>(() => task.GetAwaiter().GetResult());
        var again = Assert.Throws<InvalidProgramException>(() => second.GetAwaiter().GetResult());
        Assert.Same(first, again);
        Assert.Contains(nameof(Fail), again.StackTrace, StringComparison.Ordinal);
    }

    private static async SimpleTask<int> Fail(SimpleTask<int> gate)
    {
        await gate;
        throw new InvalidProgramException("shared failure");
    }

    [Fact]
    public void A_continuation_that_throws_does_not_strand_the_others_and_its_exception_reaches_the_completer()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        int ran = 0;
        SimpleTask<int> a = source.Task, b = source.Task, c = source.Task;
        a.GetAwaiter().UnsafeOnCompleted(() => Interlocked.Increment(ref ran));
        b.GetAwaiter().UnsafeOnCompleted(() => throw new InsufficientExecutionStackException("continuation failed"));
        c.GetAwaiter().UnsafeOnCompleted(() => Interlocked.Increment(ref ran));

        var thrown = Assert.Throws<InsufficientExecutionStackException>(() => source.SetResult(1));

        Assert.Equal("continuation failed", thrown.Message);
        Assert.Equal(2, ran);
        Assert.Equal(1, a.GetAwaiter().GetResult());
        Assert.Equal(1, b.GetAwaiter().GetResult());
        Assert.Equal(1, c.GetAwaiter().GetResult());
    }

    [Fact]
    public void Several_throwing_continuations_surface_as_one_AggregateException_after_all_ran()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> a = source.Task, b = source.Task;
        a.GetAwaiter().UnsafeOnCompleted(() => throw new FormatException());
        b.GetAwaiter().UnsafeOnCompleted(() => throw new TimeoutException());

        var thrown = Assert.Throws<AggregateException>(() => source.SetResult(1));

        Assert.Collection(
            thrown.InnerExceptions,
            e => Assert.IsType<FormatException>(e),
            e => Assert.IsType<TimeoutException>(e));
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void Awaiters_resume_in_registration_order()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        var order = new List<int>();
        var handles = new List<SimpleTask<int>>();
        for (int i = 0; i < 5; i++)
        {
            int id = i;
            SimpleTask<int> handle = source.Task;
            handles.Add(handle);
            handle.GetAwaiter().UnsafeOnCompleted(() => order.Add(id));
        }

        source.SetResult(0);

        Assert.Equal([0, 1, 2, 3, 4], order);
        handles.ForEach(h => h.Dispose());
    }
}
