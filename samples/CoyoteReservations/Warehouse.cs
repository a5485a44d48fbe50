namespace SharedTask.Samples.CoyoteReservations;

/// <summary>The backend the services ask for stock levels: a remote call in real life, a yield here.</summary>
public sealed class Warehouse(IReadOnlyDictionary<string, int> stock)
{
    private int _loads;

    /// <summary>How many stock loads reached the warehouse.</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>Loads the stock level of <paramref name="sku"/>.</summary>
    public async SimpleTask<int> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loads);
        await Task.Yield(); // the network round trip
        cancellationToken.ThrowIfCancellationRequested();
        return stock[sku];
    }
}
