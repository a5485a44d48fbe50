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
/// <para>Continuations run when the source is completed, by Task's rules: on the completing thread (queued behind the
/// current one if that thread is itself running a continuation) unless it has a SynchronizationContext or TaskScheduler
/// the continuation did not capture, in which case it goes to the thread pool. A continuation that waits for a sibling
/// awaiter of the same operation to run would wait forever on the completing thread; create such a source with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>, which sends every continuation to the thread pool
/// (or its captured context) and runs none on the completing thread.</para>
/// </remarks>
public readonly struct SimpleTaskCompletionSource<T> : IDisposable
{
    private readonly SourceFrame<T>? _frame;
    private readonly uint _generation;

    /// <summary>Rents a frame for a new operation.</summary>
    public SimpleTaskCompletionSource()
        : this(TaskCreationOptions.None)
    {
    }

    /// <summary>Rents a frame for a new operation whose completion follows <paramref name="creationOptions"/>.</summary>
    /// <param name="creationOptions">
    /// <see cref="TaskCreationOptions.None"/>, or <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/> to queue
    /// every continuation to the thread pool (or its captured context) instead of running it on the completing thread.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="creationOptions"/> has a flag other than RunContinuationsAsynchronously (the others concern
    /// scheduling a Task's body, which a completion source does not have).
    /// </exception>
    public SimpleTaskCompletionSource(TaskCreationOptions creationOptions)
    {
        if ((creationOptions & ~TaskCreationOptions.RunContinuationsAsynchronously) != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(creationOptions),
                creationOptions,
                "A SimpleTaskCompletionSource supports only TaskCreationOptions.None and RunContinuationsAsynchronously.");
        }

        _frame = SourceFrame<T>.RentForProducer(
            (creationOptions & TaskCreationOptions.RunContinuationsAsynchronously) != 0, out _generation);
    }

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

    /// <summary>
    /// Completes the operation with every exception of <paramref name="exceptions"/>, as
    /// <see cref="TaskCompletionSource{TResult}.SetException(IEnumerable{Exception})"/> does: an await throws the first,
    /// and <see cref="SimpleTask{T}.AsTask"/> gives a task that holds them all.
    /// </summary>
    /// <param name="exceptions">The exceptions, at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exceptions"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="exceptions"/> is empty or holds a null element.</exception>
    /// <exception cref="InvalidOperationException">The source was already completed.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public void SetException(IEnumerable<Exception> exceptions)
    {
        if (!TrySetException(exceptions))
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

    /// <summary>
    /// Completes the operation with every exception of <paramref name="exceptions"/> unless it was already completed or
    /// disposed (see <see cref="SetException(IEnumerable{Exception})"/>).
    /// </summary>
    /// <param name="exceptions">The exceptions, at least one.</param>
    /// <returns>True if this call completed the operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exceptions"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="exceptions"/> is empty or holds a null element.</exception>
    /// <exception cref="InvalidOperationException">The source is default-initialized.</exception>
    public bool TrySetException(IEnumerable<Exception> exceptions)
    {
        ArgumentNullException.ThrowIfNull(exceptions);
        Exception[] all = [.. exceptions];
        if (all.Length == 0)
        {
            throw new ArgumentException("At least one exception is needed to fault the operation.", nameof(exceptions));
        }

        if (Array.IndexOf(all, null) >= 0)
        {
            throw new ArgumentException("The exceptions must not include null.", nameof(exceptions));
        }

        return Frame.TryComplete(_generation, default!, ExceptionDispatchInfo.Capture(all[0]), all.Length > 1 ? all : null);
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
