using Microsoft.Extensions.ObjectPool;
using SharedTask.Diagnostics.Metering;

namespace SharedTask.Pooling;

/// <summary>
/// Creates frames and nodes with their exact type's factory and keeps every returned one: an item clears its own state
/// before it is returned, while nothing refers to it.
/// </summary>
internal sealed class NewItemPolicy<TItem> : PooledObjectPolicy<TItem>
    where TItem : class, IPooledItem<TItem>
{
    internal static readonly NewItemPolicy<TItem> Instance = new();

    public override TItem Create()
    {
        if (TItem.IsFrame)
        {
            SharedTaskMeter.OnFrameCreated();
        }

        return TItem.CreateForPool();
    }

    public override bool Return(TItem obj) => true;
}
