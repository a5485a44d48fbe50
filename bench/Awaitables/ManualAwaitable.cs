using System.Runtime.CompilerServices;

namespace SharedTask.Benchmarks.Awaitables;

/// <summary>
/// The one suspension point every peer awaits: a reusable awaitable that the benchmark driver completes by hand, on
/// its own thread. It allocates nothing, so the bytes a peer reports are the peer's own (its boxes, frames and
/// continuations), and it treats every peer alike: it stores the <see cref="Action"/> the peer's builder hands it and
/// invokes it inline when completed.
/// </summary>
/// <remarks>
/// One awaiter at a time: a driver starts the operation that awaits it, then calls <see cref="Complete"/> once.
/// Built with <see cref="Completed"/>, it never suspends: the same async methods then run without suspending.
/// </remarks>
internal sealed class ManualAwaitable
{
    /// <summary>True for an awaitable that is already complete (the synchronous-completion suites).</summary>
    private readonly bool _completesSynchronously;

    /// <summary>The waiting continuation: set by the awaiting builder, taken by <see cref="Complete"/>.</summary>
    private Action? _continuation;

    /// <summary>The value the await returns: fixed when synchronous, else written by <see cref="Complete"/>.</summary>
    private int _result;

    private ManualAwaitable(bool completesSynchronously, int result)
    {
        _completesSynchronously = completesSynchronously;
        _result = result;
    }

    /// <summary>An awaitable that suspends its awaiter until the driver calls <see cref="Complete"/>.</summary>
    /// <returns>The awaitable.</returns>
    internal static ManualAwaitable Suspending() => new(completesSynchronously: false, result: 0);

    /// <summary>An awaitable that is already complete with <paramref name="result"/>: awaiting it never suspends.</summary>
    /// <param name="result">The value every await returns.</param>
    /// <returns>The awaitable.</returns>
    internal static ManualAwaitable Completed(int result) => new(completesSynchronously: true, result);

    /// <summary>Resumes the waiting awaiter inline on this thread, with <paramref name="result"/>.</summary>
    /// <param name="result">The value the await returns.</param>
    /// <exception cref="InvalidOperationException">Nothing is waiting (a broken benchmark).</exception>
    internal void Complete(int result)
    {
        Action continuation = _continuation
            ?? throw new InvalidOperationException("Nothing awaits this ManualAwaitable: the benchmark's operation did not suspend.");
        _continuation = null;
        _result = result;
        continuation();
    }

    /// <summary>Gets the awaiter.</summary>
    /// <returns>The awaiter.</returns>
    public Awaiter GetAwaiter() => new(this);

    /// <summary>The awaiter: a struct, so awaiting allocates nothing.</summary>
    internal readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly ManualAwaitable _owner;

        internal Awaiter(ManualAwaitable owner) => _owner = owner;

        public bool IsCompleted => _owner._completesSynchronously;

        public int GetResult() => _owner._result;

        // Everything here runs on the driver's thread with the default execution context, so flowing it is moot;
        // both paths only store the continuation.
        public void OnCompleted(Action continuation) => Store(continuation);

        public void UnsafeOnCompleted(Action continuation) => Store(continuation);

        private void Store(Action continuation)
        {
            if (_owner._continuation is not null)
            {
                throw new InvalidOperationException("A ManualAwaitable has one awaiter at a time.");
            }

            _owner._continuation = continuation;
        }
    }
}
