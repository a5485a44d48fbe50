using SharedTask.Combinators;

namespace SharedTask;

/// <content>Per-awaiter cancellation and timeout through a pointer.</content>
public partial struct PromisePtr<T>
{
    /// <summary>
    /// Waits for the operation through a new reference of its own, until <paramref name="cancellationToken"/> is
    /// canceled; the pointer keeps its reference. Canceling ends only this wait: the operation goes on, and its other
    /// awaiters are not touched.
    /// </summary>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle (see <see cref="SimpleTask{T}.WaitAsync(CancellationToken)"/>); consume it once.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly SimpleTask<T> WaitAsync(CancellationToken cancellationToken) =>
        WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Waits for the operation through a new reference of its own, for at most <paramref name="timeout"/>; the pointer
    /// keeps its reference. Only this wait times out.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <returns>An owning handle (see <see cref="SimpleTask{T}.WaitAsync(TimeSpan)"/>); consume it once.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms.</exception>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly SimpleTask<T> WaitAsync(TimeSpan timeout) => WaitAsync(timeout, CancellationToken.None);

    /// <summary>
    /// Waits for the operation through a new reference of its own, until <paramref name="cancellationToken"/> is
    /// canceled or <paramref name="timeout"/> elapses; the pointer keeps its reference. Either ends only this wait: the
    /// operation goes on, and its other awaiters are not touched.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle (see <see cref="SimpleTask{T}.WaitAsync(TimeSpan, CancellationToken)"/>); consume it once.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms.</exception>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly SimpleTask<T> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!WaitFrame<T>.IsValidTimeout(timeout))
        {
            throw WaitFrame<T>.InvalidTimeout(timeout);
        }

        return WaitFrame<T>.Start(Owned.Share(), timeout, cancellationToken);
    }
}
