namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>
/// The string keys of the caching sides (HybridCache and FusionCache take string keys), made once so that a request
/// does not format one: the comparison is of the coalescers, not of string formatting.
/// </summary>
internal sealed class CacheKeyNames(int keys)
{
    private const string ProbeName = "product:probe";

    private readonly string[] _names = [.. Enumerable.Range(0, keys).Select(static key => $"product:{key}")];

    public string this[int key] => key == AbandonProbe.Key ? ProbeName : _names[key];
}
