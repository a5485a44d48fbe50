using SharedTask.Samples.CatalogService.Catalog;

namespace SharedTask.Tests.Integration;

/// <summary>
/// The back end's lookup with counts around it: <see cref="Joined"/> once a request has joined (or started) a load, which
/// every back end does before its call returns; <see cref="Left"/> once a request's wait ended by its RequestAborted.
/// </summary>
internal sealed class WatchedProductLookup(IProductLookup inner) : IProductLookup
{
    public CountSignal Joined { get; } = new();

    public CountSignal Left { get; } = new();

    public async ValueTask<Product> GetAsync(int id, CancellationToken requestAborted)
    {
        ValueTask<Product> pending = inner.GetAsync(id, requestAborted);
        Joined.Increment();
        try
        {
            return await pending;
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
            Left.Increment();
            throw;
        }
    }
}
