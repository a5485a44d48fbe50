using System.Runtime.CompilerServices;
using SharedTask.Scheduling;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// An awaitable that always suspends and resumes its continuation through the library's hand-off to the thread pool,
/// which an engine turns into a new logical thread: a load that really suspends, without a Task.
/// </summary>
internal sealed class ThreadPoolHop : ICriticalNotifyCompletion
{
    internal static readonly ThreadPoolHop Instance = new();

    public bool IsCompleted => false;

    public ThreadPoolHop GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation) => SchedulingSeam.HandOffToThreadPool(new ContinuationItem(continuation));

    private sealed class ContinuationItem(Action continuation) : IThreadPoolWorkItem
    {
        public void Execute() => continuation();
    }
}
