using System.Collections.Concurrent;

namespace SharedTask.Samples.Comparison;

/// <summary>
/// The idiom SingleFlight replaces: a <see cref="ConcurrentDictionary{TKey, TValue}"/> of
/// <see cref="Lazy{T}"/> of <see cref="Task{TResult}"/>, one entry per key in flight, removed when its load completes.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The type of a load's result.</typeparam>
/// <remarks>
/// Written in its cheapest form: the removal lives in the load wrapper, once per load, instead of in a
/// try/finally around every caller's await, so a caller that joins pays only the lookup. Each load still pays a
/// Lazy, a closure, the wrapper's task and the dictionary node. A caller can stop waiting with
/// <see cref="Task{TResult}.WaitAsync(CancellationToken)"/> (an allocation per cancelable caller), but the load itself
/// gets no token: nobody can cancel a load every caller has abandoned.
/// </remarks>
public sealed class LazyTaskCoalescer<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> _inFlight = new();
    private readonly Func<TKey, Task<TValue>> _load;
    private readonly Func<TKey, Lazy<Task<TValue>>> _createEntry;

    /// <summary>Creates a coalescer that starts loads with <paramref name="load"/>.</summary>
    /// <param name="load">Starts the load for a key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="load"/> is null.</exception>
    public LazyTaskCoalescer(Func<TKey, Task<TValue>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        _load = load;
        _createEntry = CreateEntry;
    }

    /// <summary>The load in flight for <paramref name="key"/>, started if there is none.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The shared task of the load; every caller of the key gets the same one.</returns>
    public Task<TValue> GetAsync(TKey key) => _inFlight.GetOrAdd(key, _createEntry).Value;

    private Lazy<Task<TValue>> CreateEntry(TKey key)
    {
        // GetOrAdd may create entries it then throws away; the Lazy makes sure only the stored one ever loads.
        Lazy<Task<TValue>>? entry = null;
        entry = new Lazy<Task<TValue>>(() => LoadThenRemoveAsync(key, entry!));
        return entry;
    }

    private async Task<TValue> LoadThenRemoveAsync(TKey key, Lazy<Task<TValue>> entry)
    {
        try
        {
            return await _load(key).ConfigureAwait(false);
        }
        finally
        {
            // By value, so a newer entry for the key is never removed.
            _inFlight.TryRemove(new KeyValuePair<TKey, Lazy<Task<TValue>>>(key, entry));
        }
    }
}
