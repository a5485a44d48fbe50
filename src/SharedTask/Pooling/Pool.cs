using Microsoft.Extensions.ObjectPool;
using SharedTask.Diagnostics.Metering;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask.Pooling;

/// <summary>
/// The pool of one exact internal type (one per state-machine type: an exact size class), created from
/// <see cref="SimpleTaskPool.Provider"/> the first time the type is used. Every rent and return goes through here,
/// or is reported here by a per-thread cache in front of it.
/// </summary>
internal static class Pool<TItem>
    where TItem : class, IPooledItem<TItem>
{
    private static readonly ObjectPoolProvider s_provider = SimpleTaskPool.Provider;

    private static readonly ObjectPool<TItem> s_pool = SimpleTaskPool.CreatePool<TItem>(s_provider);

    /// <summary>Whether this pool holds frames (the meter counts frames, not waiter nodes); a JIT-time constant.</summary>
    private static readonly bool s_holdsFrames = typeof(FrameCore).IsAssignableFrom(typeof(TItem));

    /// <summary>
    /// How many idle items a thread may keep in an exact-type cache in front of this pool: the default provider's
    /// per-thread size, and 0 for any other provider, so that a plugged-in pool sees every rent and return.
    /// </summary>
    internal static readonly int ThreadCacheCapacity =
        s_provider is SimpleTaskPoolProvider defaults ? defaults.MaximumRetainedPerThread : 0;

    internal static TItem Rent()
    {
        TItem item = s_pool.Get();
        OnRented(item);
        return item;
    }

    internal static void Return(TItem item)
    {
        OnReturning(item);
        s_pool.Return(item);
    }

    /// <summary>Reports that <paramref name="item"/> starts a use, whether it came from the pool or a thread cache.</summary>
    internal static void OnRented(TItem item)
    {
        SchedulingSeam.Point(SeamPoint.PoolRent, item);
        if (s_holdsFrames)
        {
            SharedTaskMeter.OnFrameRented();
        }
    }

    /// <summary>Reports that <paramref name="item"/> goes idle, whether into the pool or a thread cache.</summary>
    internal static void OnReturning(TItem item)
    {
        SchedulingSeam.Point(SeamPoint.PoolReturn, item);
        if (s_holdsFrames)
        {
            SharedTaskMeter.OnFrameReturned();
        }
    }
}
