namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>
/// The service's store: every load waits <see cref="CatalogOptions.StoreDelayMilliseconds"/> (observing its token) and
/// returns <see cref="Product.For"/>. It counts the loads it started and the ones canceled, for <c>GET /stats</c>.
/// </summary>
/// <param name="delay">How long a load takes.</param>
public sealed class SimulatedProductStore(TimeSpan delay) : IProductStore
{
    private long _loadsStarted;
    private long _loadsCanceled;

    /// <summary>Loads started so far.</summary>
    public long LoadsStarted => Volatile.Read(ref _loadsStarted);

    /// <summary>Loads whose token was canceled before they finished.</summary>
    public long LoadsCanceled => Volatile.Read(ref _loadsCanceled);

    /// <inheritdoc/>
    public async Task<Product> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loadsStarted);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _loadsCanceled);
            throw;
        }

        return Product.For(id);
    }
}
