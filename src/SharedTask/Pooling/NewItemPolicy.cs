using Microsoft.Extensions.ObjectPool;

namespace SharedTask.Pooling;

/// <summary>
/// Creates frames and nodes with their parameterless constructor and keeps every returned one: a frame clears its
/// own state before it is returned, while no reference to it exists.
/// </summary>
internal sealed class NewItemPolicy<TItem> : PooledObjectPolicy<TItem>
    where TItem : class, new()
{
    internal static readonly NewItemPolicy<TItem> Instance = new();

    public override TItem Create() => new();

    public override bool Return(TItem obj) => true;
}
