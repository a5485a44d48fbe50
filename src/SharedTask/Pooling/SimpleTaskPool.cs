using Microsoft.Extensions.ObjectPool;

namespace SharedTask;

/// <summary>
/// Configures where SharedTask rents its frames. Every frame type (one per async method's state machine, one per
/// completion-source result type) gets its own <see cref="ObjectPool{T}"/>, created from <see cref="Provider"/> the
/// first time that type is used.
/// </summary>
/// <remarks>
/// The default provider is <see cref="SimpleTaskPoolProvider"/>: a small per-thread stack in front of a shared
/// <see cref="DefaultObjectPool{T}"/>. Plug any <see cref="ObjectPoolProvider"/> (for instance a
/// <see cref="DefaultObjectPoolProvider"/> with another size) by setting <see cref="Provider"/> at start-up, before
/// the frame types it should serve are first used; pools already created keep their provider.
/// </remarks>
public static class SimpleTaskPool
{
    private static ObjectPoolProvider s_provider = new SimpleTaskPoolProvider();

    /// <summary>The provider that creates the pool of each frame type not yet used.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public static ObjectPoolProvider Provider
    {
        get => Volatile.Read(ref s_provider);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Volatile.Write(ref s_provider, value);
        }
    }

    /// <summary>
    /// Makes <paramref name="pool"/> the source of the frames of every SimpleTask operation started in this flow of
    /// execution until the returned scope is disposed, including the operations that those operations start later, on
    /// any thread. Each frame goes back to the pool it came from.
    /// </summary>
    /// <param name="pool">The pool to rent from.</param>
    /// <returns>The scope; dispose it (<c>using</c>) to end it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    /// <remarks>
    /// <para>The scope flows like an <see cref="AsyncLocal{T}"/>: into the continuations of the code that entered it (a
    /// SimpleTask method or a Task method alike) and into what they start, not back to the caller of an async method that
    /// entered it. Code that suppresses execution-context flow leaves the scope behind.</para>
    /// <para>Only frames are rented from the scope's pool; SharedTask's small waiter nodes stay in the global pools.</para>
    /// </remarks>
    public static SimpleTaskPoolScope UseScope(SimpleTaskFramePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        SimpleTaskFramePool? enclosing = Pooling.PoolScopes.Current;
        Pooling.PoolScopes.Enter(pool);
        return new SimpleTaskPoolScope(pool, enclosing);
    }

    /// <summary>The pool of the scope current in this flow of execution, or null outside every scope.</summary>
    public static SimpleTaskFramePool? CurrentScope => Pooling.PoolScopes.Current;

    internal static ObjectPool<TItem> CreatePool<TItem>(ObjectPoolProvider provider)
        where TItem : class, Pooling.IPooledItem<TItem>
    {
        ObjectPool<TItem> pool = provider.Create(Pooling.NewItemPolicy<TItem>.Instance);
        return pool ?? throw new InvalidOperationException(
            $"{provider.GetType()}.Create returned null for {typeof(TItem)}; an ObjectPoolProvider must create a pool.");
    }
}
