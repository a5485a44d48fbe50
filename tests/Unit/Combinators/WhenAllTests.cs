using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Combinators;

/// <summary>SimpleTask.WhenAll: every result, or every input's exception as Task.WhenAll reports them.</summary>
public class WhenAllTests
{
    [Fact]
    public void WhenAll_completes_with_every_result_in_input_order_once_the_last_input_completes()
    {
        using var first = new SimpleTaskCompletionSource<int>();
        using var second = new SimpleTaskCompletionSource<int>();
        using var third = new SimpleTaskCompletionSource<int>();
        SimpleTask<int[]> all = SimpleTask.WhenAll([first.Task, second.Task, third.Task]);

        third.SetResult(3);
        first.SetResult(1);
        Assert.False(all.IsCompleted, "WhenAll must wait for its last input");
        second.SetResult(2);

        Assert.Equal([1, 2, 3], all.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAll_of_two_tasks_returns_both_results_as_a_tuple_of_their_own_types()
    {
        using var number = new SimpleTaskCompletionSource<int>();
        using var text = new SimpleTaskCompletionSource<string>();
        SimpleTask<(int, string)> both = SimpleTask.WhenAll(number.Task, text.Task);

        text.SetResult("seven");
        number.SetResult(7);

        Assert.Equal((7, "seven"), both.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAll_with_one_fault_waits_for_every_input_then_throws_that_fault()
    {
        using var failing = new SimpleTaskCompletionSource<int>();
        using var slow = new SimpleTaskCompletionSource<int>();
        SimpleTask<(int, int)> both = SimpleTask.WhenAll(failing.Task, slow.Task);

        failing.SetException(new FormatException("bad"));
        Assert.False(both.IsCompleted, "WhenAll must wait for every input even after one faulted, as Task.WhenAll does");
        slow.SetResult(1);

        Assert.True(both.IsFaulted);
        FormatException thrown = Assert.Throws<FormatException>(() => both.GetAwaiter().GetResult());
        Assert.Equal("bad", thrown.Message);
    }

    [Fact]
    public void WhenAll_with_several_faults_keeps_every_fault_in_input_order()
    {
        using var first = new SimpleTaskCompletionSource<int>();
        using var second = new SimpleTaskCompletionSource<int>();
        using var third = new SimpleTaskCompletionSource<int>();
        SimpleTask<int[]> all = SimpleTask.WhenAll(first.Task, second.Task, third.Task);

        third.SetException(new InvalidOperationException("third"));
        second.SetResult(2);
        first.SetException(new FormatException("first"));

        AggregateException thrown = Assert.Throws<AggregateException>(() => all.GetAwaiter().GetResult());
        Assert.Collection(
            thrown.InnerExceptions,
            e => Assert.Equal("first", Assert.IsType<FormatException>(e).Message),
            e => Assert.Equal("third", Assert.IsType<InvalidOperationException>(e).Message));
    }

    [Fact]
    public void WhenAll_with_a_canceled_input_and_no_fault_is_canceled_with_that_token()
    {
        using var value = new SimpleTaskCompletionSource<int>();
        using var canceled = new SimpleTaskCompletionSource<int>();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        SimpleTask<(int, int)> both = SimpleTask.WhenAll(value.Task, canceled.Task);

        canceled.SetCanceled(cancellation.Token);
        value.SetResult(1);

        Assert.True(both.IsCanceled, "a canceled input with no faulted one should cancel WhenAll");
        OperationCanceledException thrown = Assert.ThrowsAny<OperationCanceledException>(() => both.GetAwaiter().GetResult());
        Assert.Equal(cancellation.Token, thrown.CancellationToken);
    }

    [Fact]
    public void WhenAll_with_a_fault_and_a_cancellation_is_faulted_with_the_fault_only()
    {
        using var canceled = new SimpleTaskCompletionSource<int>();
        using var faulted = new SimpleTaskCompletionSource<int>();
        SimpleTask<(int, int)> all = SimpleTask.WhenAll(canceled.Task, faulted.Task);

        canceled.SetCanceled();
        faulted.SetException(new FormatException());

        Assert.True(all.IsFaulted, "a fault outranks a cancellation, as with Task.WhenAll");
        Assert.Throws<FormatException>(() => all.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAll_of_no_tasks_is_completed_with_an_empty_array()
    {
        SimpleTask<int[]> all = SimpleTask.WhenAll(Array.Empty<SimpleTask<int>>());

        Assert.True(all.IsCompletedSuccessfully);
        Assert.Empty(all.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAll_of_completed_and_inline_tasks_is_completed_when_it_returns()
    {
        using var done = new SimpleTaskCompletionSource<int>();
        done.SetResult(2);

        SimpleTask<int[]> all = SimpleTask.WhenAll(new SimpleTask<int>(1), done.Task, SimpleTask.FromResult(3));

        Assert.True(all.IsCompletedSuccessfully, "inputs that already completed deliver during WhenAll itself");
        Assert.Equal([1, 2, 3], all.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAll_consumes_its_input_handles()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> input = source.Task;
        SimpleTask<int[]> all = SimpleTask.WhenAll(input);
        source.SetResult(1);
        Assert.Equal([1], all.GetAwaiter().GetResult());

#pragma warning disable SHTASK001 // deliberate: the handle was moved into WhenAll, so this second consumption must throw
        Assert.Throws<ObjectDisposedException>(() => input.GetAwaiter().GetResult());
#pragma warning restore SHTASK001
    }

    [Fact]
    public void WhenAll_reports_an_already_released_input_as_an_ObjectDisposedException_fault()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> released = source.Task;
        released.Dispose();

#pragma warning disable SHTASK001 // deliberate: a released handle passed to WhenAll
        SimpleTask<(int, int)> both = SimpleTask.WhenAll(released, new SimpleTask<int>(1));
#pragma warning restore SHTASK001

        Assert.Throws<ObjectDisposedException>(() => both.GetAwaiter().GetResult());
    }

    [Fact]
    public void WhenAll_of_non_generic_tasks_completes_when_every_input_has()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var first = new SimpleTaskCompletionSource<int>();
        using var second = new SimpleTaskCompletionSource<int>();
        SimpleTask all = SimpleTask.WhenAll(Ignore(first.Task), Ignore(second.Task));

        first.SetResult(1);
        Assert.False(all.IsCompleted, "WhenAll must wait for its last input");
        second.SetResult(2);

        Assert.True(all.IsCompletedSuccessfully);
        all.GetAwaiter().GetResult();
    }

    [Fact]
    public void WhenAll_over_a_sequence_takes_every_handle_of_the_sequence()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        List<SimpleTask<int>> inputs = [source.Task, new SimpleTask<int>(5)];

        SimpleTask<int[]> all = SimpleTask.WhenAll(inputs);
        source.SetResult(4);

        Assert.Equal([4, 5], all.GetAwaiter().GetResult());
    }

    [Fact]
    public async Task WhenAll_resumes_an_async_awaiter_when_the_last_input_completes()
    {
        using var first = new SimpleTaskCompletionSource<int>();
        using var second = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> sum = Sum(first.Task, second.Task);

        first.SetResult(20);
        second.SetResult(22);

        Assert.Equal(42, await sum.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async SimpleTask<int> Sum(SimpleTask<int> a, SimpleTask<int> b)
    {
        (int x, int y) = await SimpleTask.WhenAll(a, b);
        return x + y;
    }

    private static async SimpleTask Ignore(SimpleTask<int> task) => await task;
}
