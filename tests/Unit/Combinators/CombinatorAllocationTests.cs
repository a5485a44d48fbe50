using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Combinators;

/// <summary>WhenAll, WhenAny and WaitAsync allocate nothing in steady state: frames and nodes come back from their pools.</summary>
public class CombinatorAllocationTests
{
    [Fact]
    public void WhenAll_of_two_pending_tasks_allocates_nothing_per_operation()
    {
        double bytes = SteadyStateAllocations.BytesPerOperation(() =>
        {
            var first = new SimpleTaskCompletionSource<int>();
            var second = new SimpleTaskCompletionSource<long>();
            SimpleTask<(int, long)> both = SimpleTask.WhenAll(first.Task, second.Task);
            second.SetResult(2);
            first.SetResult(1);
            first.Dispose();
            second.Dispose();
            both.GetAwaiter().GetResult();
        });

        Assert.True(bytes == 0, $"expected 0 bytes per WhenAll of two, measured {bytes:F1}");
    }

    [Fact]
    public void WhenAny_of_two_pending_tasks_allocates_nothing_per_operation()
    {
        double bytes = SteadyStateAllocations.BytesPerOperation(() =>
        {
            var first = new SimpleTaskCompletionSource<int>();
            var second = new SimpleTaskCompletionSource<int>();
            SimpleTask<(int Index, int Result)> any = SimpleTask.WhenAny(first.Task, second.Task);
            second.SetResult(2);
            any.GetAwaiter().GetResult();
            first.SetResult(1); // the loser completes after the winner was read: its node releases it then
            first.Dispose();
            second.Dispose();
        });

        Assert.True(bytes == 0, $"expected 0 bytes per WhenAny of two, measured {bytes:F1} (per-thread tiers: frame {SharedTask.Pooling.Pool<SharedTask.Combinators.WhenAnyValueFrame<int>>.ThreadCapacity}, node {SharedTask.Pooling.Pool<SharedTask.Combinators.InputWaiter<int>>.ThreadCapacity}, source {SharedTask.Pooling.Pool<SharedTask.Frames.SourceFrame<int>>.ThreadCapacity})");
    }

    [Fact]
    public void WaitAsync_with_a_token_allocates_nothing_per_operation()
    {
        using var cancellation = new CancellationTokenSource();
        CancellationToken token = cancellation.Token;
        double bytes = SteadyStateAllocations.BytesPerOperation(() =>
        {
            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> wait = source.Task.WaitAsync(token);
            source.SetResult(1);
            source.Dispose();
            wait.GetAwaiter().GetResult();
        });

        Assert.True(bytes == 0, $"expected 0 bytes per WaitAsync with a token (pooled frame, reused registration node), measured {bytes:F1}");
    }

    [Fact]
    public void WaitAsync_with_a_timeout_and_a_token_allocates_nothing_per_operation()
    {
        using var cancellation = new CancellationTokenSource();
        CancellationToken token = cancellation.Token;
        TimeSpan timeout = TimeSpan.FromMinutes(10);
        double bytes = SteadyStateAllocations.BytesPerOperation(() =>
        {
            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> wait = source.Task.WaitAsync(timeout, token);
            source.SetResult(1);
            source.Dispose();
            wait.GetAwaiter().GetResult();
        });

        Assert.True(bytes == 0, $"expected 0 bytes per WaitAsync with a timeout (timer source reset and reused), measured {bytes:F1}");
    }
}
