using Microsoft.Extensions.ObjectPool;
using SharedTask.Diagnostics.Metering;
using SharedTask.Scheduling;

namespace SharedTask.Pooling;

/// <summary>
/// The pool of one exact internal type (one per state-machine type: an exact size class): a per-thread stack in front
/// of a shared <see cref="ObjectPool{T}"/> created from <see cref="SimpleTaskPool.Provider"/> the first time the type is
/// used. Every rent and return goes through here (state-machine frames keep their per-thread stack in
/// Frames.StateMachineFrameCache instead, and use the shared tier from here).
/// </summary>
internal static class Pool<TItem>
    where TItem : class, IPooledItem<TItem>
{
    private static readonly ObjectPoolProvider s_provider = SimpleTaskPool.Provider;

    private static readonly ObjectPool<TItem> s_shared = SimpleTaskPool.CreatePool<TItem>(s_provider);

    /// <summary>
    /// How many idle items a thread keeps in front of the shared pool: the default provider's per-thread size, and 0
    /// for any other provider, so that a plugged-in pool sees every rent and return.
    /// </summary>
    internal static readonly int ThreadCapacity =
        s_provider is SimpleTaskPoolProvider defaults ? defaults.MaximumRetainedPerThread : 0;

    /// <summary>This thread's idle items; created at the first return if <see cref="ThreadCapacity"/> allows one.</summary>
    [ThreadStatic]
    private static ThreadStack<TItem>? t_stack;

    internal static TItem Rent()
    {
        if (TItem.IsFrame && PoolScopes.Current is { } scope)
        {
            return scope.Rent<TItem>();
        }

        if (t_stack is not { } stack || !stack.TryPop(out TItem? item))
        {
            item = s_shared.Get();
        }

        OnRented(item);
        return item;
    }

    internal static void Return(TItem item)
    {
        OnReturning(item);
        ThreadStack<TItem>? stack = t_stack ?? CreateThreadStack();
        if (stack is null || !stack.TryPush(item))
        {
            s_shared.Return(item);
        }
    }

    /// <summary>Takes an item from the shared tier (for a caller that keeps its own per-thread stack).</summary>
    internal static TItem RentShared() => s_shared.Get();

    /// <summary>Gives an item to the shared tier (for a caller that keeps its own per-thread stack).</summary>
    internal static void ReturnShared(TItem item) => s_shared.Return(item);

    /// <summary>Reports that <paramref name="item"/> starts a use, whichever tier it came from.</summary>
    internal static void OnRented(TItem item)
    {
        SchedulingSeam.Point(SeamPoint.PoolRent, item);
        if (TItem.IsFrame)
        {
            SharedTaskMeter.OnFrameRented();
        }
    }

    /// <summary>Reports that <paramref name="item"/> goes idle, whichever tier it goes to.</summary>
    internal static void OnReturning(TItem item)
    {
        SchedulingSeam.Point(SeamPoint.PoolReturn, item);
        if (TItem.IsFrame)
        {
            SharedTaskMeter.OnFrameReturned();
        }
    }

    private static ThreadStack<TItem>? CreateThreadStack() =>
        ThreadCapacity == 0 ? null : t_stack = new ThreadStack<TItem>(ThreadCapacity);
}
