using Microsoft.Extensions.ObjectPool;
using SharedTask.Diagnostics.Metering;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask.Pooling;

/// <summary>
/// The pool of one exact internal type (one per state-machine type: an exact size class), created from
/// <see cref="SimpleTaskPool.Provider"/> the first time the type is used. Every rent and return goes through here.
/// </summary>
internal static class Pool<TItem>
    where TItem : class, new()
{
    private static readonly ObjectPool<TItem> s_pool = SimpleTaskPool.CreatePool<TItem>();

    /// <summary>Whether this pool holds frames (the meter counts frames, not waiter nodes); a JIT-time constant.</summary>
    private static readonly bool s_holdsFrames = typeof(FrameCore).IsAssignableFrom(typeof(TItem));

    internal static TItem Rent()
    {
        TItem item = s_pool.Get();
        SchedulingSeam.Point(SeamPoint.PoolRent, item);
        if (s_holdsFrames)
        {
            SharedTaskMeter.OnFrameRented();
        }

        return item;
    }

    internal static void Return(TItem item)
    {
        SchedulingSeam.Point(SeamPoint.PoolReturn, item);
        if (s_holdsFrames)
        {
            SharedTaskMeter.OnFrameReturned();
        }

        s_pool.Return(item);
    }
}
