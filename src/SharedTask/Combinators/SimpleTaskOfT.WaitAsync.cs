using SharedTask.Combinators;

namespace SharedTask;

/// <content>Per-awaiter cancellation and timeout.</content>
public readonly partial struct SimpleTask<T>
{
    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or as canceled when
    /// <paramref name="cancellationToken"/> is canceled first. Canceling cancels only this wait: the operation goes on,
    /// and its other awaiters are not touched.
    /// </summary>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>
    /// An owning handle: this handle itself when there is nothing to race (the operation completed, or the token can
    /// never be canceled), else one whose await throws <see cref="OperationCanceledException"/> if the token wins.
    /// </returns>
    /// <remarks>
    /// Allocation-free in steady state (a pooled frame; the token's registration node is reused by its source). A wait
    /// that ends early leaves a small pooled node on the operation that releases this handle's reference when the
    /// operation completes.
    /// </remarks>
    public SimpleTask<T> WaitAsync(CancellationToken cancellationToken) =>
        WaitFrame<T>.Start(this, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or with a
    /// <see cref="TimeoutException"/> when <paramref name="timeout"/> elapses first. Only this wait times out: the
    /// operation goes on, and its other awaiters are not touched.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <returns>An owning handle (see <see cref="WaitAsync(TimeSpan, CancellationToken)"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms; the handle is still
    /// consumed (released).
    /// </exception>
    public SimpleTask<T> WaitAsync(TimeSpan timeout) => WaitFrame<T>.Start(this, timeout, CancellationToken.None);

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or as canceled when
    /// <paramref name="cancellationToken"/> is canceled first, or with a <see cref="TimeoutException"/> when
    /// <paramref name="timeout"/> elapses first. Either ends only this wait: the operation goes on, and its other
    /// awaiters are not touched.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>
    /// An owning handle: this handle itself when there is nothing to race (the operation completed, or neither a token
    /// nor a timeout can end the wait); a canceled or timed-out handle at once when the token is already canceled or the
    /// timeout is zero; else one that completes with whichever comes first.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms; the handle is still
    /// consumed (released).
    /// </exception>
    /// <remarks>
    /// Allocation-free in steady state: a pooled frame, and for the timeout a timer source kept with that frame and
    /// reset after each use (a timeout that fires costs a new source). A wait that ends early leaves a small pooled node
    /// on the operation that releases this handle's reference exactly once, when the operation completes.
    /// </remarks>
    public SimpleTask<T> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitFrame<T>.Start(this, timeout, cancellationToken);
}
