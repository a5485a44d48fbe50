using Microsoft.Extensions.ObjectPool;
using SharedTask.Diagnostics.Metering;

namespace SharedTask.Pooling;

/// <summary>Where a pooled item goes back to when its use ends, if not to the global pool of its type.</summary>
internal interface IPoolHome
{
    /// <summary>Takes back <paramref name="item"/>, whose use has ended.</summary>
    void Return(object item);
}

/// <summary>An item that remembers the pool it belongs to (frames, so that a scoped pool gets its frames back).</summary>
internal interface IHomedItem
{
    /// <summary>Makes <paramref name="home"/> the pool this item returns to; called once, by the pool creating it.</summary>
    void SetHome(IPoolHome home);
}

/// <summary>
/// The frames of one exact type that belong to one <see cref="SimpleTaskFramePool"/>. Each frame it creates records it
/// as its home, so the frame comes back here whoever releases it last.
/// </summary>
internal sealed class ScopedTier<TItem> : PooledObjectPolicy<TItem>, IPoolHome
    where TItem : class, IPooledItem<TItem>
{
    private readonly SimpleTaskFramePool _owner;
    private readonly ObjectPool<TItem> _idle;

    internal ScopedTier(SimpleTaskFramePool owner)
    {
        _owner = owner;
        _idle = owner.CreateObjectPool(this);
    }

    internal TItem Rent()
    {
        TItem item = _idle.Get();
        Pool<TItem>.OnRented(item);
        return item;
    }

    void IPoolHome.Return(object item)
    {
        var frame = (TItem)item;
        Pool<TItem>.OnReturning(frame);
        _owner.OnReturned();
        _idle.Return(frame);
    }

    public override TItem Create()
    {
        TItem item = TItem.CreateForPool();
        ((IHomedItem)item).SetHome(this);
        _owner.OnCreated();
        SharedTaskMeter.OnFrameCreated();
        return item;
    }

    public override bool Return(TItem obj) => true;
}
