namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>Which pools serve the library's rents in this process (see <see cref="ScenarioPoolProvider"/>).</summary>
internal enum PoolMode
{
    /// <summary>Controlled runs: one LIFO stack per type, emptied before every iteration, so a replay starts alike.</summary>
    Controlled,

    /// <summary>Real threads: the shipped <see cref="SimpleTaskPoolProvider"/>'s pools, with rents and returns counted.</summary>
    Shipped,
}
