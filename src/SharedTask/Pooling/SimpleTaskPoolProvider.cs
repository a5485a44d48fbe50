using Microsoft.Extensions.ObjectPool;

namespace SharedTask;

/// <summary>
/// The default <see cref="ObjectPoolProvider"/> for SharedTask frames: SharedTask keeps a small stack of idle frames per
/// thread and type (no interlocked operation on the common path), in front of the shared
/// <see cref="DefaultObjectPool{T}"/> this provider creates for what a thread's stack cannot hold.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.ObjectPool's default pool alone is one CAS-guarded slot plus a concurrent queue, which becomes a
/// point of contention when every await rents and returns; the per-thread stack keeps the common case (rent and return
/// on one thread) local. With any other provider SharedTask keeps no per-thread stack: that provider's pools see every
/// rent and return.
/// </remarks>
public sealed class SimpleTaskPoolProvider : ObjectPoolProvider
{
    /// <summary>How many idle objects of one type each thread keeps. Default 128; 0 turns the per-thread tier off.</summary>
    public int MaximumRetainedPerThread { get; init; } = 128;

    /// <summary>How many idle objects of one type the shared tier keeps. Default 32 per processor.</summary>
    public int MaximumRetainedShared { get; init; } = 32 * Environment.ProcessorCount;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or the shared size is zero.</exception>
    public override ObjectPool<T> Create<T>(IPooledObjectPolicy<T> policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(MaximumRetainedPerThread);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaximumRetainedShared);
        return new DefaultObjectPool<T>(policy, MaximumRetainedShared);
    }
}
