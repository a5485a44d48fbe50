namespace SharedTask.Pooling;

/// <summary>
/// A type <see cref="Pool{TItem}"/> can create and count. The factory is a static member of the exact type, so a new
/// item is one plain allocation: <c>new TItem()</c> in shared generic code would go through <see cref="Activator"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface IPooledItem<TSelf>
    where TSelf : class, IPooledItem<TSelf>
{
    /// <summary>Whether the meter counts this type as a frame (waiter nodes and ValueTask sources are not frames).</summary>
    static virtual bool IsFrame => true;

    /// <summary>Creates an item for a pool whose idle items ran out.</summary>
    static abstract TSelf CreateForPool();
}
