using System.Runtime.CompilerServices;

namespace SharedTask.Benchmarks.Awaitables;

/// <summary>
/// A real suspension for the throughput suite: awaiting it queues the continuation to the thread pool's global queue,
/// so it resumes on whichever pool thread takes it. One instance per worker (a worker awaits one thing at a time), and
/// the instance itself is the work item, so a hop allocates nothing for any peer.
/// </summary>
/// <remarks>
/// <c>Task.Yield()</c> would be the obvious choice, but it is not neutral: the runtime queues a Task-based method's
/// box directly (an internal interface), while any other builder's continuation costs a queue item allocation.
/// </remarks>
internal sealed class ThreadPoolHop : IThreadPoolWorkItem
{
    /// <summary>The continuation in flight: written before queueing, taken by the pool thread that runs it.</summary>
    private Action? _continuation;

    /// <summary>Gets the awaiter.</summary>
    /// <returns>The awaiter.</returns>
    public Awaiter GetAwaiter() => new(this);

    void IThreadPoolWorkItem.Execute()
    {
        // Taken before running: the continuation awaits this hop again and stores its next continuation here.
        Action continuation = _continuation!;
        _continuation = null;
        continuation();
    }

    private void Queue(Action continuation)
    {
        _continuation = continuation;

        // The queue publishes the field to the pool thread; preferLocal: false sends the work through the global
        // queue, so continuations move between threads as they do under real load.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>The awaiter: always suspends.</summary>
    internal readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly ThreadPoolHop _owner;

        internal Awaiter(ThreadPoolHop owner) => _owner = owner;

        public bool IsCompleted => false;

        public void GetResult()
        {
        }

        // The benchmarks flow no AsyncLocal state; the builders capture and restore the execution context themselves.
        public void OnCompleted(Action continuation) => _owner.Queue(continuation);

        public void UnsafeOnCompleted(Action continuation) => _owner.Queue(continuation);
    }
}
