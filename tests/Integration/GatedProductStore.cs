using System.Collections.Concurrent;
using SharedTask.Samples.CatalogService.Catalog;

namespace SharedTask.Tests.Integration;

/// <summary>The service's store replaced by one whose loads wait for the test: no timing, the test opens each product's gate.</summary>
internal sealed class GatedProductStore : IProductStore
{
    private readonly ConcurrentDictionary<int, LoadGate> _gates = new();
    private int _loadsStarted;

    /// <summary>Loads started so far, every product.</summary>
    public int LoadsStarted => Volatile.Read(ref _loadsStarted);

    /// <summary>The gate of product <paramref name="id"/>'s loads.</summary>
    public LoadGate For(int id) => _gates.GetOrAdd(id, static _ => new LoadGate());

    public async Task<Product> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loadsStarted);
        await For(id).HoldAsync(cancellationToken);
        return Product.For(id);
    }
}
