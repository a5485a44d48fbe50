using Microsoft.Extensions.ObjectPool;
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

    internal static TItem Rent()
    {
        TItem item = s_pool.Get();
        SchedulingSeam.Point(SeamPoint.PoolRent, item);
        return item;
    }

    internal static void Return(TItem item)
    {
        SchedulingSeam.Point(SeamPoint.PoolReturn, item);
        s_pool.Return(item);
    }
}
