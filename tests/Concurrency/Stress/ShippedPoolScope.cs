using SharedTask.Scheduling;
using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Stress;

/// <summary>
/// Puts the process in real-thread mode for one stress test: the shipped pools serve rents (counted), and no engine
/// observes the seam. Restores controlled mode on dispose.
/// </summary>
internal sealed class ShippedPoolScope : IDisposable
{
    internal ShippedPoolScope()
    {
        SchedulingSeam.Observer = null;
        ScenarioPoolProvider.Instance.Mode = PoolMode.Shipped;
        ScenarioPoolProvider.Instance.ResetShippedCounts();
    }

    /// <summary>Rents minus returns of frames and nodes since the scope began: zero once every operation is done.</summary>
    internal static long Outstanding => ScenarioPoolProvider.Instance.ShippedOutstanding;

    internal static long Rents => ScenarioPoolProvider.Instance.ShippedRents;

    public void Dispose() => ScenarioPoolProvider.Instance.Mode = PoolMode.Controlled;
}
