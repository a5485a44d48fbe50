using System.Collections.Concurrent;
using SharedTask.Coalescing;

namespace SharedTask.Samples.CoyoteReservations;

/// <summary>
/// THE FIXED VERSION of <see cref="RacyReservations"/>: the count is read after the await and changed only if nobody
/// changed it since (a compare-and-swap loop), so the check and the act are one atomic step.
/// </summary>
public sealed class Reservations(Warehouse warehouse) : IReservations
{
    private readonly SingleFlight<string, int> _stockLoads = new();
    private readonly ConcurrentDictionary<string, int> _reserved = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async SimpleTask<bool> TryReserveAsync(string sku)
    {
        int stock = await _stockLoads.RunAsync(sku, warehouse, static (key, warehouse, ct) => warehouse.GetStockAsync(key, ct));
        while (true)
        {
            int reserved = _reserved.GetValueOrDefault(sku);
            if (reserved >= stock)
            {
                return false;
            }

            bool claimed = reserved == 0 ? _reserved.TryAdd(sku, 1) : _reserved.TryUpdate(sku, reserved + 1, reserved);
            if (claimed)
            {
                return true;
            }
        }
    }
}
