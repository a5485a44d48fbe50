using System.Diagnostics.Metrics;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Pooling;

/// <summary>
/// Scoped frame pools: inside <see cref="SimpleTaskPool.UseScope"/> frames come from the scope's pool, so do the frames
/// of operations those frames start later, and every frame goes back to the pool it came from.
/// </summary>
public class ScopedPoolTests
{
    private static async SimpleTask<int> Leaf(SimpleTask<int> gate) => await gate.ConfigureAwait(false);

    private static async SimpleTask<int> Parent(SimpleTask<int> first, Func<SimpleTask<int>> then)
    {
        int a = await first.ConfigureAwait(false);
        return a + await then().ConfigureAwait(false);
    }

    [Fact]
    public void Frames_rented_inside_a_scope_come_from_its_pool_and_go_back_to_it()
    {
        using var noContext = NoSynchronizationContext.Enter();
        var pool = new SimpleTaskFramePool("scoped-basic");
        SimpleTask<int> leaf;
        SimpleTaskCompletionSource<int> source;

        using (SimpleTaskPool.UseScope(pool))
        {
            Assert.Same(pool, SimpleTaskPool.CurrentScope);
            source = new SimpleTaskCompletionSource<int>();
            leaf = Leaf(source.Task);
        }

        Assert.Null(SimpleTaskPool.CurrentScope);
        Assert.Equal(2, pool.FramesRented);
        Assert.Equal(2, pool.FramesOutstanding);

        source.SetResult(3);
        Assert.Equal(3, leaf.GetAwaiter().GetResult());
        Assert.Equal(1, pool.FramesOutstanding);
        source.Dispose();

        Assert.Equal(0, pool.FramesOutstanding);
        Assert.Equal(2, pool.FramesReturned);
        Assert.Equal(2, pool.FramesCreated);
    }

    [Fact]
    public async Task Foreign_awaits_and_AsValueTask_inside_a_scope_rent_only_frames_from_it()
    {
        // A Task method awaiting a SimpleTask, and AsValueTask of a pending one, use SharedTask's pooled nodes (a
        // continuation node, a ValueTask source): they are not frames, stay in the global pools, and the scope's
        // accounting sees only the one frame, the completion source's.
        var pool = new SimpleTaskFramePool("scoped-nodes");
        SimpleTaskCompletionSource<int> source;
        Task<int> awaiting;
        ValueTask<int> valueTask;
        using (SimpleTaskPool.UseScope(pool))
        {
            source = new SimpleTaskCompletionSource<int>();
            awaiting = AwaitFromTaskMethod(source.Task);
            valueTask = source.Task.AsValueTask();
        }

        source.SetResult(8);
        Assert.Equal(8, await awaiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(8, await valueTask);
        source.Dispose();

        Assert.Equal(1, pool.FramesRented);
        Assert.Equal(0, pool.FramesOutstanding);
    }

    private static async Task<int> AwaitFromTaskMethod(SimpleTask<int> task) => await task;

    [Fact]
    public void Frames_from_a_scope_are_reused_by_the_next_use_of_the_scope()
    {
        using var noContext = NoSynchronizationContext.Enter();
        var pool = new SimpleTaskFramePool("scoped-reuse");

        for (int round = 0; round < 3; round++)
        {
            using (SimpleTaskPool.UseScope(pool))
            {
                using var source = new SimpleTaskCompletionSource<int>();
                SimpleTask<int> leaf = Leaf(source.Task);
                source.SetResult(round);
                Assert.Equal(round, leaf.GetAwaiter().GetResult());
            }
        }

        Assert.Equal(6, pool.FramesRented);
        Assert.Equal(2, pool.FramesCreated);
        Assert.Equal(0, pool.FramesOutstanding);
    }

    [Fact]
    public async Task Operations_started_after_a_resume_on_another_thread_still_rent_from_the_scope()
    {
        var pool = new SimpleTaskFramePool("scoped-flow");
        var first = new SimpleTaskCompletionSource<int>();
        var second = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> work;

        using (SimpleTaskPool.UseScope(pool))
        {
            work = await Task.Run(() => Parent(first.Task, () => Leaf(second.Task)));
        }

        // Completed on a thread that is in no scope: the parent resumes there and starts its leaf under its own scope.
        var completer = new Thread(() => first.SetResult(1));
        completer.Start();
        completer.Join();
        Assert.Equal(2, pool.FramesRented);

        second.SetResult(2);
        Assert.Equal(3, await work.AsTask());
        Assert.Equal(0, pool.FramesOutstanding);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public void A_frame_resumed_on_a_thread_inside_another_scope_rents_from_its_own_and_leaves_the_other_intact()
    {
        using var noContext = NoSynchronizationContext.Enter();
        var a = new SimpleTaskFramePool("scoped-a");
        var b = new SimpleTaskFramePool("scoped-b");
        using var gate = new SimpleTaskCompletionSource<int>();
        using var later = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> work;
        using (SimpleTaskPool.UseScope(b))
        {
            work = Parent(gate.Task, () => Leaf(later.Task));
        }

        using (SimpleTaskPool.UseScope(a))
        {
            // The parent resumes right here, nested inside scope a.
            gate.SetResult(1);
            Assert.Same(a, SimpleTaskPool.CurrentScope);
        }

        Assert.Equal(0, a.FramesRented);
        Assert.Equal(2, b.FramesRented);
        later.SetResult(2);
        Assert.Equal(3, work.GetAwaiter().GetResult());
        Assert.Equal(0, b.FramesOutstanding);
    }

    [Fact]
    public async Task A_scope_counts_only_its_own_work_while_other_work_runs_in_parallel()
    {
        var pool = new SimpleTaskFramePool("scoped-isolated");
        using var stop = new CancellationTokenSource();
        Task noise = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var source = new SimpleTaskCompletionSource<int>();
                SimpleTask<int> leaf = Leaf(source.Task);
                source.SetResult(1);
                leaf.AsTask().GetAwaiter().GetResult();
            }
        });

        const int Operations = 200;
        await Task.Run(async () =>
        {
            using (SimpleTaskPool.UseScope(pool))
            {
                for (int index = 0; index < Operations; index++)
                {
                    var source = new SimpleTaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                    SimpleTask<int> leaf = Leaf(source.Task);
                    source.SetResult(index);
                    Assert.Equal(index, await leaf.AsTask());
                    source.Dispose();
                }
            }
        });
        await stop.CancelAsync();
        await noise;

        Assert.Equal(2 * Operations, pool.FramesRented);
        Assert.Equal(0, pool.FramesOutstanding);
    }

    [Fact]
    public void Disposing_scopes_out_of_order_throws_and_a_second_dispose_does_nothing()
    {
        var outer = new SimpleTaskFramePool("scoped-outer");
        var inner = new SimpleTaskFramePool("scoped-inner");
        SimpleTaskPoolScope outerScope = SimpleTaskPool.UseScope(outer);
        SimpleTaskPoolScope innerScope = SimpleTaskPool.UseScope(inner);

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(outerScope.Dispose);
        Assert.Contains("scoped-outer", refused.Message, StringComparison.Ordinal);
        Assert.Same(inner, SimpleTaskPool.CurrentScope);

        innerScope.Dispose();
        innerScope.Dispose();
        Assert.Same(outer, SimpleTaskPool.CurrentScope);
        outerScope.Dispose();
        Assert.Null(SimpleTaskPool.CurrentScope);
        default(SimpleTaskPoolScope).Dispose();
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => SimpleTaskPool.UseScope(null!));
        Assert.Throws<ArgumentException>(() => new SimpleTaskFramePool(" "));
        Assert.Throws<ArgumentNullException>(() => new SimpleTaskFramePool("x", null!));
    }

    [Fact]
    public void The_meter_reports_each_pool_tagged_with_its_name()
    {
        using var noContext = NoSynchronizationContext.Enter();
        var pool = new SimpleTaskFramePool("scoped-metered");
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> leaf;
        using (SimpleTaskPool.UseScope(pool))
        {
            leaf = Leaf(source.Task);
        }

        long live = -1;
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Name == SharedTaskMetrics.PoolFramesLive)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == SharedTaskMetrics.PoolTag && Equals(tag.Value, "scoped-metered"))
                    {
                        live = value;
                    }
                }
            });
            listener.Start();
            listener.RecordObservableInstruments();
        }

        Assert.Equal(1, live);
        source.SetResult(1);
        leaf.GetAwaiter().GetResult();
        GC.KeepAlive(pool);
    }
}
