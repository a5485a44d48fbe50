using Microsoft.Extensions.ObjectPool;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// The pool provider of the test process (installed by <see cref="SeamActivation"/>). Controlled runs need pools whose
/// behaviour depends only on the schedule: the shipped provider keeps per-thread stacks, so which frame object a rent
/// returns would depend on which real thread hosted a logical thread and on earlier iterations, and a replay could rent
/// different objects than the run it replays. Stress tests need the shipped pools themselves. One provider serves both,
/// switched by <see cref="Mode"/> while nothing runs.
/// </summary>
internal sealed class ScenarioPoolProvider : ObjectPoolProvider
{
    internal static readonly ScenarioPoolProvider Instance = new();

    private readonly SimpleTaskPoolProvider _shipped = new();
    private readonly List<ISwitchingPool> _pools = [];
    private long _shippedRents;
    private long _shippedReturns;

    private ScenarioPoolProvider()
    {
    }

    /// <summary>Which pools serve rents; change it only while no library code runs.</summary>
    internal PoolMode Mode { get; set; } = PoolMode.Controlled;

    /// <summary>Rents minus returns through the shipped pools since <see cref="ResetShippedCounts"/>.</summary>
    internal long ShippedOutstanding => Interlocked.Read(ref _shippedRents) - Interlocked.Read(ref _shippedReturns);

    internal long ShippedRents => Interlocked.Read(ref _shippedRents);

    public override ObjectPool<T> Create<T>(IPooledObjectPolicy<T> policy)
    {
        var pool = new SwitchingPool<T>(this, policy, _shipped.Create(policy));
        lock (_pools)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    /// <summary>Empties every controlled pool, so the next iteration creates fresh frames in schedule order.</summary>
    internal void ResetControlledPools()
    {
        lock (_pools)
        {
            foreach (ISwitchingPool pool in _pools)
            {
                pool.ResetControlled();
            }
        }
    }

    internal void ResetShippedCounts()
    {
        Interlocked.Exchange(ref _shippedRents, 0);
        Interlocked.Exchange(ref _shippedReturns, 0);
    }

    private interface ISwitchingPool
    {
        void ResetControlled();
    }

    private sealed class SwitchingPool<T>(ScenarioPoolProvider owner, IPooledObjectPolicy<T> policy, ObjectPool<T> shipped)
        : ObjectPool<T>, ISwitchingPool
        where T : class
    {
        // Only one logical thread runs at a time in a controlled run, but a lock keeps the stack sound if anything
        // outside the engine (a thread-pool continuation that escaped) touches it.
        private readonly Stack<T> _controlled = new();

        public override T Get()
        {
            if (owner.Mode == PoolMode.Shipped)
            {
                Interlocked.Increment(ref owner._shippedRents);
                return shipped.Get();
            }

            lock (_controlled)
            {
                if (_controlled.TryPop(out T? item))
                {
                    return item;
                }
            }

            return policy.Create();
        }

        public override void Return(T obj)
        {
            if (owner.Mode == PoolMode.Shipped)
            {
                Interlocked.Increment(ref owner._shippedReturns);
                shipped.Return(obj);
                return;
            }

            if (policy.Return(obj))
            {
                lock (_controlled)
                {
                    _controlled.Push(obj);
                }
            }
        }

        public void ResetControlled()
        {
            lock (_controlled)
            {
                _controlled.Clear();
            }
        }
    }
}
