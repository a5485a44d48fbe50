namespace SharedTask.Samples.CoyoteReservations;

/// <summary>A stock-reservation service: reserves one item of a SKU if the warehouse has one left.</summary>
public interface IReservations
{
    /// <summary>Reserves one item of <paramref name="sku"/>: true if one was left, false if every item is already reserved.</summary>
    SimpleTask<bool> TryReserveAsync(string sku);
}
