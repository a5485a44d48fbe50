using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Scheduling;

public class DeepChainTests
{
    private const int OneMebibyte = 1024 * 1024;

    private sealed class HopCounter
    {
        public int ExpectedThread;
        public int Hops;
    }

    private static async SimpleTask<int> Next(SimpleTask<int> previous, HopCounter counter)
    {
        int value = await previous;
        if (Environment.CurrentManagedThreadId != counter.ExpectedThread)
        {
            counter.Hops++;
        }

        return value + 1;
    }

    [Fact]
    public void Chain_of_a_million_awaits_completed_at_its_leaf_finishes_on_a_1_MiB_stack_without_a_thread_hop()
    {
        const int depth = 1_000_000;
        (int result, int hops) = DedicatedThread.Run(
            () =>
            {
                var counter = new HopCounter { ExpectedThread = Environment.CurrentManagedThreadId };
                var leaf = new SimpleTaskCompletionSource<int>();
                SimpleTask<int> tip = leaf.Task;
                for (int i = 0; i < depth; i++)
                {
                    tip = Next(tip, counter);
                }

                Assert.False(tip.IsCompleted);
                leaf.SetResult(0);
                leaf.Dispose();
                Assert.True(tip.IsCompleted, "the whole chain should complete inside SetResult, on this thread");
                return (tip.GetAwaiter().GetResult(), counter.Hops);
            },
            OneMebibyte);

        Assert.Equal(depth, result);
        Assert.Equal(0, hops);
    }

    [Fact]
    public void Loop_of_a_million_awaits_of_completed_tasks_does_not_grow_the_stack()
    {
        long sum = DedicatedThread.Run(
            () => SumCompleted(1_000_000).GetAwaiter().GetResult(),
            OneMebibyte);

        Assert.Equal(1_000_000L * 999_999 / 2, sum);
    }

    private static async SimpleTask<long> SumCompleted(int count)
    {
        using PromisePtr<int> one = new SimpleTask<int>(1).ToPromisePtr();
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += await SimpleTask.FromResult(i) * await one;
        }

        return sum;
    }

    [Fact]
    public void Loop_that_suspends_a_million_times_on_one_thread_does_not_grow_the_stack()
    {
        // Each iteration suspends on a source that the awaited continuation of the previous iteration completes,
        // so every resumption starts from inside another one: the trampoline must keep the depth constant.
        int iterations = DedicatedThread.Run(
            () =>
            {
                var relay = new Relay();
                SimpleTask<int> loop = Ping(relay, 1_000_000);
                relay.Kick();
                return loop.GetAwaiter().GetResult();
            },
            OneMebibyte);

        Assert.Equal(1_000_000, iterations);
    }

    private sealed class Relay
    {
        public SimpleTaskCompletionSource<int> Next = new();

        public void Kick()
        {
            SimpleTaskCompletionSource<int> current = Next;
            Next = new SimpleTaskCompletionSource<int>();
            current.SetResult(0);
            current.Dispose();
        }
    }

    private static async SimpleTask<int> Ping(Relay relay, int count)
    {
        int done = 0;
        while (done < count)
        {
            SimpleTask<int> wait = relay.Next.Task;
            if (done + 1 < count)
            {
                // Completes the next iteration's source from inside this continuation.
#pragma warning disable SHTASK002 // Pong never suspends (it awaits a completed task): its handle has no frame to release.
                _ = Pong(relay);
#pragma warning restore SHTASK002
            }

            await wait;
            done++;
        }

        relay.Next.Dispose();
        return done;
    }

    private static async SimpleTask Pong(Relay relay)
    {
        await SimpleTask.CompletedTask;
        relay.Kick();
    }
}
