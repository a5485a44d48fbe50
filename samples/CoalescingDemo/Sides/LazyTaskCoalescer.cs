using System.Collections.Concurrent;

namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>
/// The idiom SingleFlight replaces: a <see cref="ConcurrentDictionary{TKey, TValue}"/> of
/// <see cref="Lazy{T}"/> of <see cref="Task{TResult}"/>, one entry per key in flight, removed when its load completes.
/// </summary>
/// <remarks>
/// Written in its cheapest form: the removal lives in the load wrapper, once per load, instead of in a
/// try/finally around every caller's await, so a caller that joins pays only the lookup. Each load still pays a
/// Lazy, a closure, the wrapper's task and the dictionary node; nobody can cancel one caller's wait, and nobody
/// cancels a load every caller has abandoned.
/// </remarks>
internal sealed class LazyTaskCoalescer<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> _inFlight = new();
    private readonly Func<TKey, Task<TValue>> _load;
    private readonly Func<TKey, Lazy<Task<TValue>>> _createEntry;

    public LazyTaskCoalescer(Func<TKey, Task<TValue>> load)
    {
        _load = load;
        _createEntry = CreateEntry;
    }

    /// <summary>The load in flight for <paramref name="key"/>, started if there is none.</summary>
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
            return await _load(key);
        }
        finally
        {
            // By value, so a newer entry for the key is never removed.
            _inFlight.TryRemove(new KeyValuePair<TKey, Lazy<Task<TValue>>>(key, entry));
        }
    }
}
