using SharedTask.Pooling;

namespace SharedTask;

/// <summary>
/// A region in which SimpleTask frames come from a <see cref="SimpleTaskFramePool"/>; disposing it makes the enclosing
/// scope (or none) current again. Returned by <see cref="SimpleTaskPool.UseScope(SimpleTaskFramePool)"/>.
/// </summary>
public readonly struct SimpleTaskPoolScope : IDisposable
{
    private readonly SimpleTaskFramePool? _pool;
    private readonly SimpleTaskFramePool? _enclosing;

    internal SimpleTaskPoolScope(SimpleTaskFramePool pool, SimpleTaskFramePool? enclosing)
    {
        _pool = pool;
        _enclosing = enclosing;
    }

    /// <summary>Ends the scope. A second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">
    /// Another scope is current here: an inner scope was not disposed first, or this flow of execution is not the one
    /// that entered this scope.
    /// </exception>
    public void Dispose()
    {
        if (_pool is null)
        {
            return;
        }

        SimpleTaskFramePool? current = PoolScopes.Current;
        if (current == _pool)
        {
            PoolScopes.Enter(_enclosing);
        }
        else if (current != _enclosing)
        {
            throw new InvalidOperationException(
                $"The scope of SimpleTaskFramePool '{_pool.Name}' is not the current one here: dispose scopes in the reverse "
                + "order they were entered, in the flow of execution that entered them.");
        }
    }
}
