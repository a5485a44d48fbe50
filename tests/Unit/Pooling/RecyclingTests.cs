using Microsoft.Extensions.ObjectPool;
using SharedTask.Frames;
using SharedTask.Pooling;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Pooling;

/// <summary>Each test uses its own frame type, so its pool comes from a counting provider no other test touches.</summary>
public class RecyclingTests
{
    private readonly record struct ReturnProbe(int Value);

    private readonly record struct RetireProbe(int Value);

    private readonly record struct ProviderProbe(int Value);

    [Fact]
    public void Frame_returns_to_its_pool_when_the_last_reference_goes_not_before_and_not_twice()
    {
        using var scope = NoSynchronizationContext.Enter();
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() => new SimpleTaskCompletionSource<ReturnProbe>().Dispose());
        var pool = provider.PoolOf<SourceFrame<ReturnProbe>>()!;
        int returnedBefore = pool.Returned;

        var source = new SimpleTaskCompletionSource<ReturnProbe>();
        SimpleTask<ReturnProbe> first = source.Task;
        SimpleTask<ReturnProbe> second = first.Share();
        PromisePtr<ReturnProbe> ptr = second.Share().ToPromisePtr();
        source.SetResult(new ReturnProbe(5));

        source.Dispose();
        Assert.Equal(returnedBefore, pool.Returned);
        Assert.Equal(5, first.GetAwaiter().GetResult().Value);
        Assert.Equal(returnedBefore, pool.Returned);
        second.Dispose();
        Assert.Equal(returnedBefore, pool.Returned);
        ptr.Dispose();
        Assert.True(pool.Returned == returnedBefore + 1, $"expected exactly one return after the last release, saw {pool.Returned - returnedBefore}");
        Assert.Same(first._frame, pool.ReturnedObjects[^1]);
    }

    [Fact]
    public void Async_method_frame_returns_after_the_body_and_the_handle_both_released()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var gate = new SimpleTaskCompletionSource<int>();
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() =>
        {
            using var warm = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> warmTask = RecycledMethod(warm.Task);
            warm.SetResult(0);
            warmTask.Dispose();
        });
        // The frame type is StateMachineFrame<the compiler's state machine for RecycledMethod, int>.
        CountingPoolProvider.ICountingPool pool = provider.PoolWhere(
            t => t.IsGenericType && t.GetGenericArguments()[0].Name.Contains(nameof(RecycledMethod), StringComparison.Ordinal));
        int returnedBefore = pool.Returned;

        SimpleTask<int> task = RecycledMethod(gate.Task);
        SimpleTask<int> share = task.Share();
        gate.SetResult(3); // the body completes and releases its reference
        Assert.Equal(returnedBefore, pool.Returned);
        Assert.Equal(4, task.GetAwaiter().GetResult());
        Assert.Equal(returnedBefore, pool.Returned);
        Assert.Equal(4, share.GetAwaiter().GetResult());
        Assert.Equal(returnedBefore + 1, pool.Returned);
    }

    private static async SimpleTask<int> RecycledMethod(SimpleTask<int> gate) => await gate + 1;

    [Fact]
    public void Frame_at_the_last_generation_is_retired_instead_of_wrapping()
    {
        using var scope = NoSynchronizationContext.Enter();
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() => new SimpleTaskCompletionSource<RetireProbe>().Dispose());
        var pool = provider.PoolOf<SourceFrame<RetireProbe>>()!;
        SourceFrame<RetireProbe> frame = pool.ReturnedObjects[^1];
        frame.SetGenerationForTesting(uint.MaxValue);

        var source = new SimpleTaskCompletionSource<RetireProbe>();
        SimpleTask<RetireProbe> handle = source.Task;
        Assert.Same(frame, handle._frame);
        Assert.Equal(uint.MaxValue, frame.Generation);
        source.SetResult(default);
        source.Dispose();
        int returnedBefore = pool.Returned;
        handle.GetAwaiter().GetResult();

        Assert.Equal(returnedBefore, pool.Returned);
        Assert.Throws<ObjectDisposedException>(() => handle.Share());
        using var next = new SimpleTaskCompletionSource<RetireProbe>();
        SimpleTask<RetireProbe> nextHandle = next.Task;
        Assert.NotSame(frame, nextHandle._frame);
        nextHandle.Dispose();
    }

    [Fact]
    public void A_plugged_ObjectPoolProvider_creates_the_pool_and_sees_every_rent_and_return()
    {
        using var scope = NoSynchronizationContext.Enter();
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                using var source = new SimpleTaskCompletionSource<ProviderProbe>();
                source.SetResult(new ProviderProbe(i));
                Assert.Equal(i, source.Task.GetAwaiter().GetResult().Value);
            }
        });

        var pool = provider.PoolOf<SourceFrame<ProviderProbe>>()!;
        Assert.Equal(3, pool.Rented);
        Assert.Equal(3, pool.Returned);
        Assert.Equal(1, pool.Created);
    }

    [Fact]
    public void Provider_cannot_be_set_to_null()
    {
        Assert.Throws<ArgumentNullException>(() => SimpleTaskPool.Provider = null!);
        Assert.NotNull(SimpleTaskPool.Provider);
    }

    [Fact]
    public void Default_provider_rejects_invalid_sizes()
    {
        var policy = new DefaultPooledObjectPolicy<object>();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimpleTaskPoolProvider { MaximumRetainedPerThread = -1 }.Create(policy));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimpleTaskPoolProvider { MaximumRetainedShared = 0 }.Create(policy));
        Assert.Throws<ArgumentNullException>(() => new SimpleTaskPoolProvider().Create<object>(null!));
    }

    [Fact]
    public void Thread_stack_hands_back_the_last_item_returned_and_refuses_past_its_capacity()
    {
        var stack = new ThreadStack<object>(capacity: 2);
        object a = new(), b = new(), c = new();

        Assert.True(stack.TryPush(a));
        Assert.True(stack.TryPush(b));
        Assert.False(stack.TryPush(c), "a full thread stack must send the item on to the shared tier");
        Assert.True(stack.TryPop(out object? first));
        Assert.Same(b, first);
        Assert.True(stack.TryPop(out object? second));
        Assert.Same(a, second);
        Assert.False(stack.TryPop(out _), "an empty thread stack must send the rent on to the shared tier");
    }

    [Fact]
    public void Default_provider_creates_the_shared_tier_that_keeps_what_threads_cannot_hold()
    {
        ObjectPool<object> shared = new SimpleTaskPoolProvider { MaximumRetainedPerThread = 2, MaximumRetainedShared = 4 }
            .Create(new DefaultPooledObjectPolicy<object>());
        object a = new();
        shared.Return(a);

        Assert.Same(a, shared.Get());
    }

    [Fact]
    public void Completed_method_drops_its_hoisted_locals_while_the_result_stays_readable()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var gate = new SimpleTaskCompletionSource<int>();
        var probe = new WeakReference<object>[1];
        using PromisePtr<int> ptr = StartHoldingLocal(gate.Task, probe);

        CollectFully();
        Assert.True(IsAlive(probe[0]), "while suspended, the frame must keep the hoisted local alive");

        gate.SetResult(1);
        CollectFully();

        Assert.False(IsAlive(probe[0]), "a completed frame must not pin the method's hoisted locals");
        Assert.Equal(1 + 4096, ptr.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Not inlined: an inlined async stub leaves the method's initial stack copy of the state machine in this test's
    /// frame, where the GC may report it for the whole test.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static PromisePtr<int> StartHoldingLocal(SimpleTask<int> gate, WeakReference<object>[] probe) =>
        HoldsLocal(gate, probe).ToPromisePtr();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async SimpleTask<int> HoldsLocal(SimpleTask<int> gate, WeakReference<object>[] probe)
    {
        byte[] big = new byte[4096];
        probe[0] = new WeakReference<object>(big);
        int value = await gate;
        return value + big.Length;
    }

    /// <summary>Not inlined: TryGetTarget's out value would otherwise sit in a stack slot of the test and keep the target alive.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<object> reference) => reference.TryGetTarget(out _);

    private static void CollectFully()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
