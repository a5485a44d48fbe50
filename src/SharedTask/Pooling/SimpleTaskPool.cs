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

    internal static ObjectPool<TItem> CreatePool<TItem>(ObjectPoolProvider provider)
        where TItem : class, Pooling.IPooledItem<TItem>
    {
        ObjectPool<TItem> pool = provider.Create(Pooling.NewItemPolicy<TItem>.Instance);
        return pool ?? throw new InvalidOperationException(
            $"{provider.GetType()}.Create returned null for {typeof(TItem)}; an ObjectPoolProvider must create a pool.");
    }
}
