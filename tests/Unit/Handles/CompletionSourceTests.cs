using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.HandleBehaviour;

public class CompletionSourceTests
{
    [Fact]
    public void Tasks_taken_before_and_after_completion_see_the_result()
    {
        using var source = new SimpleTaskCompletionSource<string>();
        SimpleTask<string> before = source.Task;
        source.SetResult("done");
        SimpleTask<string> after = source.Task;

        Assert.Equal("done", before.GetAwaiter().GetResult());
        Assert.Equal("done", after.GetAwaiter().GetResult());
    }

    [Fact]
    public void Completing_twice_throws_InvalidOperationException_and_TrySet_returns_false()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        source.SetResult(1);

        Assert.Throws<InvalidOperationException>(() => source.SetResult(2));
        Assert.Throws<InvalidOperationException>(() => source.SetException(new FormatException()));
        Assert.Throws<InvalidOperationException>(() => source.SetCanceled());
        Assert.False(source.TrySetResult(3));
        Assert.False(source.TrySetException(new FormatException()));
        Assert.False(source.TrySetCanceled());
        Assert.Equal(1, source.Task.GetAwaiter().GetResult());
    }

    [Fact]
    public void SetException_and_SetCanceled_complete_as_faulted_and_canceled()
    {
        using var faulted = new SimpleTaskCompletionSource<int>();
        using var canceled = new SimpleTaskCompletionSource<int>();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        faulted.SetException(new FormatException());
        canceled.SetCanceled(cts.Token);

        Assert.True(faulted.Task.IsFaulted);
        Assert.True(canceled.Task.IsCanceled);
        Assert.Throws<FormatException>(() => faulted.Task.GetAwaiter().GetResult());
        var thrown = Assert.Throws<OperationCanceledException>(() => canceled.Task.GetAwaiter().GetResult());
        Assert.Equal(cts.Token, thrown.CancellationToken);
    }

    [Fact]
    public void Disposing_an_uncompleted_source_completes_its_awaiters_with_InvalidOperationException()
    {
        using var scope = NoSynchronizationContext.Enter();
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> waiting = source.Task;

        source.Dispose();

        Assert.True(waiting.IsFaulted);
        var thrown = Assert.Throws<InvalidOperationException>(() => waiting.GetAwaiter().GetResult());
        Assert.Contains("disposed before it was completed", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_is_idempotent_and_later_use_throws_ObjectDisposedException()
    {
        var source = new SimpleTaskCompletionSource<int>();
        source.SetResult(1);
        source.Dispose();
        source.Dispose();

        Assert.Throws<ObjectDisposedException>(() => source.Task);
        Assert.Throws<ObjectDisposedException>(() => source.SetResult(2));
        Assert.False(source.TrySetResult(2));
    }

    [Fact]
    public void Setting_a_result_after_Dispose_while_handles_are_live_throws_ObjectDisposedException()
    {
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;
        source.Dispose(); // broken promise: completes the handle, frame stays alive for it

        Assert.Throws<ObjectDisposedException>(() => source.SetResult(2));
        Assert.Throws<ObjectDisposedException>(() => source.Task);
        Assert.Throws<InvalidOperationException>(() => handle.GetAwaiter().GetResult());
    }

    [Fact]
    public void Default_source_throws_InvalidOperationException_and_disposes_as_a_no_op()
    {
        SimpleTaskCompletionSource<int> source = default;

        Assert.Throws<InvalidOperationException>(() => source.Task);
        Assert.Throws<InvalidOperationException>(() => source.TrySetResult(1));
        source.Dispose();
    }

    [Fact]
    public void TrySetException_with_null_throws_ArgumentNullException()
    {
        using var source = new SimpleTaskCompletionSource<int>();

        Assert.Throws<ArgumentNullException>(() => source.TrySetException((Exception)null!));
        Assert.Throws<ArgumentNullException>(() => source.SetException((Exception)null!));
        Assert.Throws<ArgumentNullException>(() => source.TrySetException((IEnumerable<Exception>)null!));
        Assert.Throws<ArgumentNullException>(() => source.SetException((IEnumerable<Exception>)null!));
    }

    [Fact]
    public async Task Exactly_one_of_many_racing_TrySetResult_calls_wins()
    {
        for (int round = 0; round < 200; round++)
        {
            using var source = new SimpleTaskCompletionSource<int>();
            using var start = new Barrier(4);
            Task<bool>[] racers = [.. Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            {
                start.SignalAndWait();
                return source.TrySetResult(i);
            }))];

            bool[] won = await Task.WhenAll(racers);

            Assert.Equal(1, won.Count(w => w));
            Assert.Equal(Array.IndexOf(won, true), source.Task.GetAwaiter().GetResult());
        }
    }
}
