using Microsoft.Extensions.ObjectPool;

namespace SharedTask.Pooling;

/// <summary>
/// A per-thread stack in front of a shared <see cref="DefaultObjectPool{T}"/>; see <see cref="SimpleTaskPoolProvider"/>.
/// </summary>
internal sealed class ThreadLocalObjectPool<T> : ObjectPool<T>
    where T : class
{
    /// <summary>
    /// This thread's stack for pools of <typeparamref name="T"/>. Only one pool instance per type and thread gets a
    /// stack (the first to return an object there); any other instance uses its shared tier only, so an object always
    /// goes back to the pool it came from.
    /// </summary>
    [ThreadStatic]
    private static LocalStack? t_stack;

    private readonly IPooledObjectPolicy<T> _policy;
    private readonly int _perThread;
    private readonly DefaultObjectPool<T> _shared;

    internal ThreadLocalObjectPool(IPooledObjectPolicy<T> policy, int perThread, int shared)
    {
        _policy = policy;
        _perThread = perThread;
        _shared = new DefaultObjectPool<T>(policy, shared);
    }

    public override T Get()
    {
        LocalStack? stack = t_stack;
        if (stack is not null && stack.Owner == this && stack.Count > 0)
        {
            int top = --stack.Count;
            T item = stack.Items[top]!;
            stack.Items[top] = null;
            return item;
        }

        return _shared.Get();
    }

    public override void Return(T obj)
    {
        if (!_policy.Return(obj))
        {
            return;
        }

        LocalStack? stack = t_stack;
        if (stack is null && _perThread > 0)
        {
            t_stack = stack = new LocalStack(this, _perThread);
        }

        if (stack is not null && stack.Owner == this && stack.Count < stack.Items.Length)
        {
            stack.Items[stack.Count++] = obj;
            return;
        }

        _shared.Return(obj);
    }

    private sealed class LocalStack(ThreadLocalObjectPool<T> owner, int capacity)
    {
        internal readonly ThreadLocalObjectPool<T> Owner = owner;
        internal readonly T?[] Items = new T?[capacity];
        internal int Count;
    }
}
