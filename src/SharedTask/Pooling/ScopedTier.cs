using Microsoft.Extensions.ObjectPool;
using SharedTask.Diagnostics.Metering;
using SharedTask.Frames;

namespace SharedTask.Pooling;

/// <summary>Where a frame goes back to when its use ends, if not to the global pool of its type.</summary>
internal interface IFrameHome
{
    /// <summary>Takes back <paramref name="frame"/>, whose use has ended.</summary>
    void Return(FrameCore frame);
}

/// <summary>
/// The frames of one exact type that belong to one <see cref="SimpleTaskFramePool"/>. Each frame it creates records it
/// as its home, so the frame comes back here whoever releases it last.
/// </summary>
internal sealed class ScopedTier<TItem> : PooledObjectPolicy<TItem>, IFrameHome
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

    void IFrameHome.Return(FrameCore frame)
    {
        var item = (TItem)(object)frame;
        Pool<TItem>.OnReturning(item);
        _owner.OnReturned();
        _idle.Return(item);
    }

    public override TItem Create()
    {
        TItem item = TItem.CreateForPool();
        ((FrameCore)(object)item).SetHome(this);
        _owner.OnCreated();
        SharedTaskMeter.OnFrameCreated();
        return item;
    }

    public override bool Return(TItem obj) => true;
}
