using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;

namespace SharedTask.Tests.Unit.Support;

/// <summary>
/// An <see cref="ObjectPoolProvider"/> whose pools check every rent and return instead of trusting them: an object
/// returned while it is not rented (a second return), or handed out while it is still out, is recorded as a violation
/// (never thrown into the library, which may be on a thread-pool thread), and every object rented and not yet returned
/// is known. One provider serves each probe type: it makes checking pools only for the pooled types that mention the
/// probe (SourceFrame&lt;TProbe&gt;, FlightFrame&lt;string, TProbe&gt;, the frame of a method generic in it...), and hands
/// every other type, first used by some other test while it is installed, to the provider it replaced.
/// </summary>
internal sealed class CheckingPoolProvider : ObjectPoolProvider
{
    private static readonly Lock s_installLock = new();
    private static readonly Dictionary<Type, CheckingPoolProvider> s_byProbe = [];

    private readonly List<ICheckedPool> _pools = [];
    private readonly Type _probe;
    private ObjectPoolProvider _fallback = new SimpleTaskPoolProvider();

    private CheckingPoolProvider(Type probe) => _probe = probe;

    private interface ICheckedPool
    {
        Type ItemType { get; }

        int Rented { get; }

        int Outstanding { get; }

        IReadOnlyList<string> Violations { get; }
    }

    /// <summary>Rents counted by every pool of this provider so far.</summary>
    public int Rented => Pools.Sum(pool => pool.Rented);

    /// <summary>Objects rented from this provider's pools and not returned yet (a moment's snapshot).</summary>
    public int Outstanding => Pools.Sum(pool => pool.Outstanding);

    private ICheckedPool[] Pools
    {
        get
        {
            lock (_pools)
            {
                return [.. _pools];
            }
        }
    }

    /// <summary>The provider of the pools of <typeparamref name="TProbe"/>'s frame types (created on first call).</summary>
    public static CheckingPoolProvider For<TProbe>()
    {
        lock (s_installLock)
        {
            if (!s_byProbe.TryGetValue(typeof(TProbe), out CheckingPoolProvider? provider))
            {
                provider = new CheckingPoolProvider(typeof(TProbe));
                s_byProbe.Add(typeof(TProbe), provider);
            }

            return provider;
        }
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> with this provider installed, so that every frame type it uses for the first time
    /// gets a checking pool (types already used keep theirs). Installs are serialized; the scenario should be short.
    /// </summary>
    public void Run(Action scenario)
    {
        lock (s_installLock)
        {
            ObjectPoolProvider previous = SimpleTaskPool.Provider;
            _fallback = previous;
            SimpleTaskPool.Provider = this;
            try
            {
                scenario();
            }
            finally
            {
                SimpleTaskPool.Provider = previous;
            }
        }
    }

    /// <summary>Called (outside any lock) with the pooled type before each rent from a checking pool; tests use it to line up races.</summary>
    public Action<Type>? BeforeRent { get; set; }

    public override ObjectPool<T> Create<T>(IPooledObjectPolicy<T> policy)
    {
        if (!Mentions(typeof(T), _probe))
        {
            return _fallback.Create(policy);
        }

        var pool = new CheckedPool<T>(policy, this);
        lock (_pools)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    /// <summary>How many objects the pools whose item type matches <paramref name="itemType"/> handed out.</summary>
    public int RentedWhere(Func<Type, bool> itemType) => Pools.Where(pool => itemType(pool.ItemType)).Sum(pool => pool.Rented);

    /// <summary>
    /// Fails unless every object rented so far was returned exactly once, and at least one was rented since
    /// <paramref name="rentedBefore"/> (a scenario that rented nothing proves nothing).
    /// </summary>
    public void AssertEveryRentReturnedOnce(string scenario, int rentedBefore)
    {
        ICheckedPool[] pools = Pools;
        string[] violations = [.. pools.SelectMany(pool => pool.Violations)];
        Assert.True(violations.Length == 0, $"{scenario}: {string.Join("; ", violations)}");

        string[] unreturned =
        [
            .. pools.Where(pool => pool.Outstanding != 0)
                .Select(pool => $"{pool.Outstanding} {Name(pool.ItemType)} rented and never returned"),
        ];
        Assert.True(unreturned.Length == 0, $"{scenario}: {string.Join("; ", unreturned)}");
        Assert.True(Rented > rentedBefore, $"{scenario}: nothing was rented from a checking pool, so the test proves nothing");
    }

    /// <summary>Fails unless exactly <paramref name="outstanding"/> objects are rented and not yet returned.</summary>
    public void AssertOutstanding(string moment, int outstanding)
    {
        int actual = Outstanding;
        Assert.True(actual == outstanding, $"{moment}: expected {outstanding} pooled object(s) in use, found {actual}");
    }

    /// <summary>A readable name for a pooled type: FlightFrame&lt;String, Probe&gt;, StateMachineFrame&lt;&lt;Method&gt;d__3, Int32&gt;.</summary>
    public static string Name(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
            : type.Name;

    private static bool Mentions(Type type, Type probe) =>
        type == probe || (type.IsGenericType && type.GetGenericArguments().Any(argument => Mentions(argument, probe)));

    private sealed class CheckedPool<T>(IPooledObjectPolicy<T> policy, CheckingPoolProvider provider) : ObjectPool<T>, ICheckedPool
        where T : class
    {
        private readonly Stack<T> _idle = new();
        private readonly HashSet<T> _out = new(ReferenceEqualityComparer.Instance);
        private readonly List<string> _violations = [];
        private int _rented;

        public Type ItemType => typeof(T);

        public int Rented
        {
            get
            {
                lock (_idle)
                {
                    return _rented;
                }
            }
        }

        public int Outstanding
        {
            get
            {
                lock (_idle)
                {
                    return _out.Count;
                }
            }
        }

        public IReadOnlyList<string> Violations
        {
            get
            {
                lock (_idle)
                {
                    return [.. _violations];
                }
            }
        }

        public override T Get()
        {
            provider.BeforeRent?.Invoke(typeof(T));
            lock (_idle)
            {
                _rented++;
                T item = _idle.TryPop(out T? idle) ? idle : policy.Create();
                if (!_out.Add(item))
                {
                    _violations.Add($"{Describe(item)} was handed out while it was still rented");
                }

                return item;
            }
        }

        public override void Return(T obj)
        {
            lock (_idle)
            {
                if (!_out.Remove(obj))
                {
                    _violations.Add($"{Describe(obj)} was returned while it was not rented (returned twice)");
                    return;
                }

                if (policy.Return(obj))
                {
                    _idle.Push(obj);
                }
            }
        }

        private static string Describe(T item) => $"{Name(typeof(T))}@{RuntimeHelpers.GetHashCode(item)}";
    }
}
