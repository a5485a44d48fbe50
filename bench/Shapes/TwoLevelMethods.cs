using System.Runtime.CompilerServices;
using SharedTask.Benchmarks.Awaitables;

namespace SharedTask.Benchmarks.Shapes;

/// <summary>
/// The method pair of the SuspendResume and SyncCompletion suites, written once per peer with identical bodies: an
/// outer async method awaits an inner one, which awaits the <see cref="ManualAwaitable"/>. Whether the inner method
/// suspends is up to the awaitable, so both suites run exactly this code.
/// </summary>
internal static class TwoLevelMethods
{
    internal static async Task<int> TaskOuter(ManualAwaitable signal) => await TaskInner(signal) + 1;

    internal static async ValueTask<int> ValueTaskOuter(ManualAwaitable signal) => await ValueTaskInner(signal) + 1;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<int> PooledValueTaskOuter(ManualAwaitable signal) => await PooledValueTaskInner(signal) + 1;

    internal static async SimpleTask<int> SimpleTaskOuter(ManualAwaitable signal) => await SimpleTaskInner(signal) + 1;

    private static async Task<int> TaskInner(ManualAwaitable signal) => await signal + 1;

    private static async ValueTask<int> ValueTaskInner(ManualAwaitable signal) => await signal + 1;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PooledValueTaskInner(ManualAwaitable signal) => await signal + 1;

    private static async SimpleTask<int> SimpleTaskInner(ManualAwaitable signal) => await signal + 1;
}
