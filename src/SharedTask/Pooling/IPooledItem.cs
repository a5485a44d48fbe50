namespace SharedTask.Pooling;

/// <summary>
/// An internal type that <see cref="Pool{TItem}"/> can create. The factory is a static member of the exact type, so
/// a new frame is one plain allocation: <c>new TItem()</c> in shared generic code would go through
/// <see cref="Activator"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface IPooledItem<TSelf>
    where TSelf : class, IPooledItem<TSelf>
{
    /// <summary>Creates an item for a pool whose idle items ran out.</summary>
    static abstract TSelf CreateForPool();
}
