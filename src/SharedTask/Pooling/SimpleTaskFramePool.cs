using System.Collections.Concurrent;
using Microsoft.Extensions.ObjectPool;
using SharedTask.Pooling;

namespace SharedTask;

/// <summary>
/// A pool of SimpleTask frames of its own, used for the operations started inside
/// <see cref="SimpleTaskPool.UseScope(SimpleTaskFramePool)"/>: a tenant's limits, a test's own accounting.
/// </summary>
/// <remarks>
/// <para>A frame rented from this pool belongs to it for its whole life: it goes back here whichever thread, scope or
/// pool is current when its last reference is released. Each frame type gets its own <see cref="ObjectPool{T}"/> from
/// the provider given here, created the first time that type is rented in a scope of this pool.</para>
/// <para>The counts are exact once the work they describe has finished: <see cref="FramesOutstanding"/> is zero exactly
/// when every frame rented from this pool has been returned. They are also reported by the SharedTask meter, tagged
/// with <see cref="Name"/> (<see cref="SharedTaskMetrics.PoolFramesRented"/>, <see cref="SharedTaskMetrics.PoolFramesLive"/>).</para>
/// </remarks>
public sealed class SimpleTaskFramePool
{
    private readonly ObjectPoolProvider _provider;
    private readonly ConcurrentDictionary<Type, IPoolHome> _tiers = new();
    private long _created;
    private long _rented;
    private long _returned;

    /// <summary>A pool that keeps up to 32 idle frames per processor of each type.</summary>
    /// <param name="name">The name the meter tags this pool's counts with.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public SimpleTaskFramePool(string name)
        : this(name, new DefaultObjectPoolProvider { MaximumRetained = 32 * Environment.ProcessorCount })
    {
    }

    /// <summary>A pool whose idle frames of each type are kept by a pool from <paramref name="provider"/>.</summary>
    /// <param name="name">The name the meter tags this pool's counts with.</param>
    /// <param name="provider">Creates the pool of each frame type (its retention limit is this pool's limit).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    public SimpleTaskFramePool(string name, ObjectPoolProvider provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(provider);
        Name = name;
        _provider = provider;
        ScopedPoolInstruments.Register(this);
    }

    /// <summary>The name the meter tags this pool's counts with.</summary>
    public string Name { get; }

    /// <summary>Frames this pool constructed because it had none idle of their type.</summary>
    public long FramesCreated => Volatile.Read(ref _created);

    /// <summary>Frames rented from this pool.</summary>
    public long FramesRented => Volatile.Read(ref _rented);

    /// <summary>Frames returned to this pool after the last reference of their use was released.</summary>
    public long FramesReturned => Volatile.Read(ref _returned);

    /// <summary>Frames rented and not yet returned: operations of this pool still running, or still referenced.</summary>
    public long FramesOutstanding => FramesRented - FramesReturned;

    /// <inheritdoc />
    public override string ToString() => $"SimpleTaskFramePool {Name}: {FramesOutstanding} outstanding, {FramesRented} rented";

    /// <summary>Rents a frame of type <typeparamref name="TItem"/> from this pool.</summary>
    internal TItem Rent<TItem>()
        where TItem : class, IPooledItem<TItem>
    {
        var tier = (ScopedTier<TItem>)_tiers.GetOrAdd(typeof(TItem), static (_, pool) => new ScopedTier<TItem>(pool), this);
        TItem item = tier.Rent();
        Interlocked.Increment(ref _rented);
        return item;
    }

    internal ObjectPool<TItem> CreateObjectPool<TItem>(IPooledObjectPolicy<TItem> policy)
        where TItem : class =>
        _provider.Create(policy) ?? throw new InvalidOperationException(
            $"{_provider.GetType()}.Create returned null for {typeof(TItem)}; an ObjectPoolProvider must create a pool.");

    internal void OnCreated() => Interlocked.Increment(ref _created);

    internal void OnReturned() => Interlocked.Increment(ref _returned);
}
