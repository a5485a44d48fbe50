using Microsoft.Extensions.ObjectPool;
using SharedTask.Diagnostics.Metering;
using SharedTask.Frames;

namespace SharedTask.Pooling;

/// <summary>
/// Creates frames and nodes with their exact type's factory and keeps every returned one: a frame clears its
/// own state before it is returned, while no reference to it exists.
/// </summary>
internal sealed class NewItemPolicy<TItem> : PooledObjectPolicy<TItem>
    where TItem : class, IPooledItem<TItem>
{
    internal static readonly NewItemPolicy<TItem> Instance = new();

    /// <summary>Whether <typeparamref name="TItem"/> is a frame (the meter counts frames, not waiter nodes).</summary>
    private static readonly bool s_createsFrames = typeof(FrameCore).IsAssignableFrom(typeof(TItem));

    public override TItem Create()
    {
        if (s_createsFrames)
        {
            SharedTaskMeter.OnFrameCreated();
        }

        return TItem.CreateForPool();
    }

    public override bool Return(TItem obj) => true;
}
