namespace SharedTask.Pooling;

/// <summary>
/// A type <see cref="Pool{TItem}"/> can create and count. The factory is a static member of the exact type, so a new
/// item is one plain allocation: <c>new TItem()</c> in shared generic code would go through <see cref="Activator"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface IPooledItem<TSelf>
    where TSelf : class, IPooledItem<TSelf>
{
    /// <summary>
    /// Whether this type is a frame: the meter counts it as one, and inside a scope (<see cref="PoolScopes"/>) it is
    /// rented from the scope's pool, which it returns to. Waiter nodes and ValueTask sources are not frames: they stay
    /// in the global pools. Every pooled type says which it is.
    /// </summary>
    static abstract bool IsFrame { get; }

    /// <summary>Creates an item for a pool whose idle items ran out.</summary>
    static abstract TSelf CreateForPool();
}
