using System.Collections.Concurrent;
using SharedTask.Coalescing;

namespace SharedTask.Samples.CoyoteReservations;

/// <summary>
/// THE BUGGY VERSION. Stock loads are coalesced with SingleFlight (callers asking for one SKU at once share one warehouse
/// call), and a reservation checks what is already reserved, awaits the stock level, then acts on its check: two
/// customers who both read "0 reserved" before either writes both get the last item. Check-then-act across an await.
/// </summary>
public sealed class RacyReservations(Warehouse warehouse) : IReservations
{
    private readonly SingleFlight<string, int> _stockLoads = new();
    private readonly ConcurrentDictionary<string, int> _reserved = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async SimpleTask<bool> TryReserveAsync(string sku)
    {
        int reserved = _reserved.GetValueOrDefault(sku);  // check...
        int stock = await _stockLoads.RunAsync(sku, warehouse, static (key, warehouse, ct) => warehouse.GetStockAsync(key, ct));
        if (reserved >= stock)
        {
            return false;
        }

        _reserved[sku] = reserved + 1;                     // ...then act on a read that may be stale by now
        return true;
    }
}
