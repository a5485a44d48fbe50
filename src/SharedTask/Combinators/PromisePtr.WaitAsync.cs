namespace SharedTask;

/// <content>Per-awaiter cancellation and timeout through a pointer.</content>
public partial struct PromisePtr
{
    /// <summary>
    /// Waits for the operation through a new reference of its own, until <paramref name="cancellationToken"/> is
    /// canceled; the pointer keeps its reference (see <see cref="PromisePtr{T}.WaitAsync(CancellationToken)"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle; consume it once.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly SimpleTask WaitAsync(CancellationToken cancellationToken) => new(_inner.WaitAsync(cancellationToken));

    /// <summary>
    /// Waits for the operation through a new reference of its own, for at most <paramref name="timeout"/>; the pointer
    /// keeps its reference (see <see cref="PromisePtr{T}.WaitAsync(TimeSpan)"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <returns>An owning handle; consume it once.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms.</exception>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly SimpleTask WaitAsync(TimeSpan timeout) => new(_inner.WaitAsync(timeout));

    /// <summary>
    /// Waits for the operation through a new reference of its own, until <paramref name="cancellationToken"/> is
    /// canceled or <paramref name="timeout"/> elapses; the pointer keeps its reference (see
    /// <see cref="PromisePtr{T}.WaitAsync(TimeSpan, CancellationToken)"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle; consume it once.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms.</exception>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly SimpleTask WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(_inner.WaitAsync(timeout, cancellationToken));
}
