using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Pooling;

/// <summary>Steady-state loops allocate nothing: frames and nodes come back from the pool.</summary>
public class AllocationTests
{
    private const int Operations = 2_000;

    private static async SimpleTask<int> Inner(SimpleTask<int> gate) => await gate + 1;

    private static async SimpleTask<int> Outer(SimpleTask<int> gate) => await Inner(gate) * 2;

    private static async SimpleTask<int> Synchronous(int value)
    {
        await SimpleTask.CompletedTask;
        return value;
    }

    /// <summary>Bytes this thread allocates per call of <paramref name="operation"/>, after warming it up.</summary>
    private static double BytesPerOperation(Action operation)
    {
        using var scope = NoSynchronizationContext.Enter();
        for (int i = 0; i < Operations; i++)
        {
            operation();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Operations; i++)
        {
            operation();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Operations;
    }

    [Fact]
    public void Two_level_await_with_one_suspension_allocates_nothing_per_operation()
    {
        double bytes = BytesPerOperation(() =>
        {
            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> task = Outer(source.Task);
            source.SetResult(1);
            source.Dispose();
            task.GetAwaiter().GetResult();
        });

        Assert.True(bytes == 0, $"expected 0 bytes per await-and-release, measured {bytes:F1}");
    }

    [Fact]
    public void Synchronous_completion_allocates_nothing()
    {
        double bytes = BytesPerOperation(() => Synchronous(3).GetAwaiter().GetResult());

        Assert.True(bytes == 0, $"expected 0 bytes per synchronous completion, measured {bytes:F1}");
    }

    [Fact]
    public void Fan_out_to_sixteen_shared_awaiters_allocates_nothing_per_operation()
    {
        var consumers = new SimpleTask<int>[16];
        double bytes = BytesPerOperation(() =>
        {
            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> producer = Inner(source.Task);
            for (int i = 0; i < consumers.Length; i++)
            {
                consumers[i] = Inner(producer.Share());
            }

            producer.Dispose();
            source.SetResult(1);
            source.Dispose();
            foreach (SimpleTask<int> consumer in consumers)
            {
                consumer.GetAwaiter().GetResult();
            }
        });

        Assert.True(bytes == 0, $"expected 0 bytes per fan-out, measured {bytes:F1}");
    }

    [Fact]
    public void PromisePtr_copy_await_and_dispose_allocates_nothing()
    {
        var source = new SimpleTaskCompletionSource<int>();
        source.SetResult(8);
        PromisePtr<int> ptr = source.Task.ToPromisePtr();
        source.Dispose();

        double bytes = BytesPerOperation(() =>
        {
            PromisePtr<int> copy = ptr.Copy();
            copy.GetAwaiter().GetResult();
            copy.Dispose();
        });

        ptr.Dispose();
        Assert.True(bytes == 0, $"expected 0 bytes per Copy+Dispose, measured {bytes:F1}");
    }

    [Fact]
    public void Foreign_continuation_nodes_are_pooled()
    {
        int ran = 0;
        Action continuation = () => ran++;
        double bytes = BytesPerOperation(() =>
        {
            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> task = source.Task;
            task.GetAwaiter().UnsafeOnCompleted(continuation);
            source.SetResult(1);
            source.Dispose();
            task.GetAwaiter().GetResult();
        });

        Assert.Equal(2 * Operations, ran);
        Assert.True(bytes == 0, $"expected 0 bytes per foreign continuation, measured {bytes:F1}");
    }
}
