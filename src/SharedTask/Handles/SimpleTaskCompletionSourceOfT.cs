using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;

namespace SharedTask;

/// <summary>
/// A pooled producer of a <see cref="SimpleTask{T}"/> whose outcome comes from a callback rather than an async method.
/// It hands out any number of task handles and is completed once.
/// </summary>
/// <typeparam name="T">The type of the result.</typeparam>
/// <remarks>
/// <para>The source holds the producer's reference to its frame until <see cref="Dispose"/>, so handles can be taken
/// before or after completion. Dispose it when no more handles are needed (<c>using</c>); the frame returns to its pool
/// when the producer and every handle have released their references.</para>
/// <para>Disposing a source that was never completed completes it with an <see cref="InvalidOperationException"/>
/// (a broken promise), so no awaiter waits forever.</para>
/// <para>Continuations run when the source is completed, on the completing thread (queued behind the current one if
/// that thread is itself running a continuation).</para>
/// </remarks>
public readonly struct SimpleTaskCompletionSource<T> : IDisposable
{
    private readonly SourceFrame<T>? _frame;
    private readonly uint _generation;

    /// <summary>Rents a frame for a new operation.</summary>
    public SimpleTaskCompletionSource() => _frame = SourceFrame<T>.RentForProducer(out _generation);

    /// <summary>A new handle to the operation, owning its own reference; each one is consumed once.</summary>
    /// <exception cref="InvalidOperationException">The source is default-initialized.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public SimpleTask<T> Task
    {
        get
        {
            SourceFrame<T> frame = Frame;
            if (!frame.TryAddConsumer(_generation, out HandleToken handle))
            {
                Throw.SourceDisposed();
            }

            return new SimpleTask<T>(frame, handle);
        }
    }

    private SourceFrame<T> Frame
    {
        get
        {
            if (_frame is null)
            {
                Throw.SourceNotInitialized();
            }

            return _frame;
        }
    }

    /// <summary>Completes the operation with <paramref name="result"/>.</summary>
    /// <param name="result">The result.</param>
    /// <exception cref="InvalidOperationException">The source was already completed.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public void SetResult(T result)
    {
        if (!TrySetResult(result))
        {
            ThrowCompletionRefused();
        }
    }

    /// <summary>Completes the operation with <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception (an <see cref="OperationCanceledException"/> means canceled).</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The source was already completed.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public void SetException(Exception exception)
    {
        if (!TrySetException(exception))
        {
            ThrowCompletionRefused();
        }
    }

    /// <summary>Completes the operation as canceled.</summary>
    /// <param name="cancellationToken">The token that caused the cancellation.</param>
    /// <exception cref="InvalidOperationException">The source was already completed.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public void SetCanceled(CancellationToken cancellationToken = default)
    {
        if (!TrySetCanceled(cancellationToken))
        {
            ThrowCompletionRefused();
        }
    }

    /// <summary>Completes the operation with <paramref name="result"/> unless it was already completed or disposed.</summary>
    /// <param name="result">The result.</param>
    /// <returns>True if this call completed the operation.</returns>
    /// <exception cref="InvalidOperationException">The source is default-initialized.</exception>
    public bool TrySetResult(T result) => Frame.TryComplete(_generation, result, null);

    /// <summary>Completes the operation with <paramref name="exception"/> unless it was already completed or disposed.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>True if this call completed the operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The source is default-initialized.</exception>
    public bool TrySetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Frame.TryComplete(_generation, default!, ExceptionDispatchInfo.Capture(exception));
    }

    /// <summary>Completes the operation as canceled unless it was already completed or disposed.</summary>
    /// <param name="cancellationToken">The token that caused the cancellation.</param>
    /// <returns>True if this call completed the operation.</returns>
    /// <exception cref="InvalidOperationException">The source is default-initialized.</exception>
    public bool TrySetCanceled(CancellationToken cancellationToken = default) =>
        Frame.TryComplete(_generation, default!, ExceptionDispatchInfo.Capture(new OperationCanceledException(cancellationToken)));

    /// <summary>
    /// Releases the producer's reference. A source that was not completed is first completed with an
    /// <see cref="InvalidOperationException"/>. Further calls do nothing.
    /// </summary>
    public void Dispose()
    {
        if (_frame is not { } frame)
        {
            return;
        }

        if (!frame.IsCompletionStarted(_generation))
        {
            frame.TryComplete(
                _generation,
                default!,
                ExceptionDispatchInfo.Capture(new InvalidOperationException(
                    $"The SimpleTaskCompletionSource<{typeof(T).Name}> was disposed before it was completed.")));
        }

        frame.TryReleaseProducer(_generation);
    }

    private void ThrowCompletionRefused()
    {
        if (Frame.IsDisposed(_generation))
        {
            Throw.SourceDisposed();
        }

        Throw.SourceAlreadyCompleted();
    }
}
