using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;

namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// An <see cref="ObjectPoolProvider"/> whose pools count every rent and return and fail loudly when an object is
/// returned while it is already in the pool (a frame returned twice).
/// </summary>
internal sealed class CountingPoolProvider : ObjectPoolProvider
{
    private readonly List<ICountingPool> _pools = [];

    public override ObjectPool<T> Create<T>(IPooledObjectPolicy<T> policy)
    {
        var pool = new CountingPool<T>(policy);
        lock (_pools)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    /// <summary>The pool this provider created for <typeparamref name="T"/>, or null.</summary>
    public CountingPool<T>? PoolOf<T>()
        where T : class
    {
        lock (_pools)
        {
            return _pools.OfType<CountingPool<T>>().SingleOrDefault();
        }
    }

    /// <summary>The one pool whose item type matches <paramref name="itemType"/>.</summary>
    public ICountingPool PoolWhere(Func<Type, bool> itemType)
    {
        lock (_pools)
        {
            return _pools.Single(p => itemType(p.ItemType));
        }
    }

    /// <summary>
    /// Makes <paramref name="touch"/> create its frame type's pool from a new counting provider, then puts the
    /// previous provider back. <paramref name="touch"/> must use a frame type no other code has used yet.
    /// </summary>
    public static CountingPoolProvider InstallFor(Action touch)
    {
        lock (s_installLock)
        {
            var provider = new CountingPoolProvider();
            ObjectPoolProvider previous = SimpleTaskPool.Provider;
            SimpleTaskPool.Provider = provider;
            try
            {
                touch();
            }
            finally
            {
                SimpleTaskPool.Provider = previous;
            }

            return provider;
        }
    }

    private static readonly Lock s_installLock = new();

    internal interface ICountingPool
    {
        Type ItemType { get; }

        int Created { get; }

        int Rented { get; }

        int Returned { get; }
    }

    internal sealed class CountingPool<T>(IPooledObjectPolicy<T> policy) : ObjectPool<T>, ICountingPool
        where T : class
    {
        private readonly Stack<T> _idle = new();
        private readonly HashSet<T> _idleSet = new(ReferenceEqualityComparer.Instance);
        private readonly List<T> _returned = [];

        public Type ItemType => typeof(T);

        public int Created { get; private set; }
        public int Rented { get; private set; }
        public int Returned { get; private set; }

        /// <summary>Every object returned so far, in order (an object appears once per use).</summary>
        public IReadOnlyList<T> ReturnedObjects
        {
            get
            {
                lock (_idle)
                {
                    return [.. _returned];
                }
            }
        }

        public override T Get()
        {
            lock (_idle)
            {
                Rented++;
                if (_idle.TryPop(out T? item))
                {
                    _idleSet.Remove(item);
                    return item;
                }

                Created++;
                return policy.Create();
            }
        }

        public override void Return(T obj)
        {
            lock (_idle)
            {
                if (!_idleSet.Add(obj))
                {
                    throw new InvalidOperationException(
                        $"{obj.GetType().Name}@{RuntimeHelpers.GetHashCode(obj)} was returned to its pool twice.");
                }

                Returned++;
                _returned.Add(obj);
                if (policy.Return(obj))
                {
                    _idle.Push(obj);
                }
            }
        }
    }
}
