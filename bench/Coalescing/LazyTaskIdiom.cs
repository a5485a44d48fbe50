using System.Collections.Concurrent;
using SharedTask.Benchmarks.Awaitables;

namespace SharedTask.Benchmarks.Coalescing;

/// <summary>
/// The idiom SingleFlight replaces, in its cheapest form: one <c>Lazy&lt;Task&gt;</c> per key in flight in a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/>, removed by the load wrapper when the load completes (once per load,
/// not in every caller). Its load awaits the suite's <see cref="LoadSignal"/>.
/// </summary>
internal sealed class LazyTaskIdiom
{
    private readonly ConcurrentDictionary<int, Lazy<Task<int>>> _inFlight = new();
    private readonly LoadSignal _signal;
    private readonly Func<int, Lazy<Task<int>>> _createEntry;

    internal LazyTaskIdiom(LoadSignal signal)
    {
        _signal = signal;
        _createEntry = CreateEntry;
    }

    internal Task<int> GetAsync(int key) => _inFlight.GetOrAdd(key, _createEntry).Value;

    private Lazy<Task<int>> CreateEntry(int key)
    {
        Lazy<Task<int>>? entry = null;
        entry = new Lazy<Task<int>>(() => LoadThenRemoveAsync(key, entry!));
        return entry;
    }

    private async Task<int> LoadThenRemoveAsync(int key, Lazy<Task<int>> entry)
    {
        try
        {
            return await _signal;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<int, Lazy<Task<int>>>(key, entry));
        }
    }
}
