using Microsoft.Extensions.ObjectPool;

namespace SharedTask;

/// <summary>
/// The default <see cref="ObjectPoolProvider"/> for SharedTask frames: each pool keeps a small stack per thread (no
/// interlocked operation on the hot path) in front of a shared <see cref="DefaultObjectPool{T}"/> that takes what a
/// thread's stack cannot hold and serves threads whose stack is empty.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.ObjectPool's default pool alone is one CAS-guarded slot plus a concurrent queue, which
/// becomes a point of contention when every await rents and returns; a per-thread stack keeps the common case
/// (rent and return on one thread) local.
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
        return new Pooling.ThreadLocalObjectPool<T>(policy, MaximumRetainedPerThread, MaximumRetainedShared);
    }
}
