using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// A shareable, pooled task-like value with no result: the non-generic counterpart of <see cref="SimpleTask{T}"/>,
/// with the same ownership rules. Also the home of the factory methods.
/// </summary>
[AsyncMethodBuilder(typeof(SimpleTaskMethodBuilder))]
public readonly partial struct SimpleTask
{
    private readonly SimpleTask<VoidResult> _inner;

    internal SimpleTask(SimpleTask<VoidResult> inner) => _inner = inner;

    /// <summary>The generic handle this one wraps (for the combinators, which wait for it like any other).</summary>
    internal SimpleTask<VoidResult> Inner => _inner;

    /// <summary>A completed task (the same as <c>default(SimpleTask)</c>).</summary>
    public static SimpleTask CompletedTask => default;

    /// <summary>Whether the operation has completed.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsCompleted => _inner.IsCompleted;

    /// <summary>Whether the operation completed without an exception.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsCompletedSuccessfully => _inner.IsCompletedSuccessfully;

    /// <summary>Whether the operation completed with an exception other than <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsFaulted => _inner.IsFaulted;

    /// <summary>Whether the operation completed with an <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsCanceled => _inner.IsCanceled;

    /// <summary>Creates a completed task holding <paramref name="result"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="result">The result.</param>
    /// <returns>A completed task (no frame, no allocation).</returns>
    public static SimpleTask<T> FromResult<T>(T result) => new(result);

    /// <summary>Creates a task completed with <paramref name="exception"/>; awaiting it rethrows it.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="exception">The exception.</param>
    /// <returns>A faulted task (canceled if the exception is an <see cref="OperationCanceledException"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static SimpleTask<T> FromException<T>(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        SourceFrame<T> frame = SourceFrame<T>.RentFaulted(ExceptionDispatchInfo.Capture(exception), out HandleToken handle);
        return new SimpleTask<T>(frame, handle);
    }

    /// <summary>Creates a task completed with <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>A faulted task (canceled if the exception is an <see cref="OperationCanceledException"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static SimpleTask FromException(Exception exception) => new(FromException<VoidResult>(exception));

    /// <summary>Creates a task canceled by <paramref name="cancellationToken"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="cancellationToken">A token whose cancellation was requested.</param>
    /// <returns>A canceled task; awaiting it throws <see cref="OperationCanceledException"/> with that token.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Cancellation was not requested on the token.</exception>
    public static SimpleTask<T> FromCanceled<T>(CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
        {
            throw new ArgumentOutOfRangeException(
                nameof(cancellationToken), "FromCanceled needs a token whose cancellation was requested.");
        }

        return FromException<T>(new OperationCanceledException(cancellationToken));
    }

    /// <summary>Creates a task canceled by <paramref name="cancellationToken"/>.</summary>
    /// <param name="cancellationToken">A token whose cancellation was requested.</param>
    /// <returns>A canceled task.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Cancellation was not requested on the token.</exception>
    public static SimpleTask FromCanceled(CancellationToken cancellationToken) => new(FromCanceled<VoidResult>(cancellationToken));

    /// <summary>Returns another owning handle to the same operation.</summary>
    /// <returns>A new owning handle.</returns>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public SimpleTask Share() => new(_inner.Share());

    /// <summary>Releases this handle's reference without awaiting.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public void Dispose() => _inner.Dispose();

    /// <summary>Moves this handle's reference into a <see cref="PromisePtr"/> (no new reference).</summary>
    /// <returns>The owning pointer.</returns>
    public PromisePtr ToPromisePtr() => new(_inner.ToPromisePtr());

    /// <summary>Consumes the handle and returns a <see cref="Task"/> with the same outcome.</summary>
    /// <returns>The task.</returns>
    public Task AsTask() => _inner.AsTask();

    /// <summary>
    /// Consumes the handle and returns a <see cref="ValueTask"/> with the same outcome, without allocating (see
    /// <see cref="SimpleTask{T}.AsValueTask"/>).
    /// </summary>
    /// <returns>The value task; await it once.</returns>
    public ValueTask AsValueTask() =>
        _inner.StartValueTask(out _, out short token) is { } source ? new ValueTask(source, token) : default;

    /// <summary>Gets the awaiter; awaiting consumes the handle.</summary>
    /// <returns>The awaiter.</returns>
    public Awaiter GetAwaiter() => new(_inner.GetAwaiter());

    /// <summary>Configures whether the continuation resumes on the captured context.</summary>
    /// <param name="continueOnCapturedContext">True to resume on the captured context.</param>
    /// <returns>An awaitable that consumes the handle.</returns>
    public ConfiguredAwaitable ConfigureAwait(bool continueOnCapturedContext) =>
        new(_inner.ConfigureAwait(continueOnCapturedContext));

    /// <inheritdoc />
    public override string ToString() => _inner.ToString();

    /// <summary>Awaits a <see cref="SimpleTask"/>, resuming on the captured context; awaiting releases the handle.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
    {
        private readonly SimpleTask<VoidResult>.Awaiter _inner;

        internal Awaiter(SimpleTask<VoidResult>.Awaiter inner) => _inner = inner;

        /// <summary>Whether the operation has completed.</summary>
        /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
        public bool IsCompleted => _inner.IsCompleted;

        /// <summary>Rethrows the exception, if any, and releases the handle's reference.</summary>
        /// <exception cref="ObjectDisposedException">The handle's reference was already released (it was consumed twice).</exception>
        public void GetResult() => _inner.GetResult();

        /// <summary>Schedules the continuation, flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void OnCompleted(Action continuation) => _inner.OnCompleted(continuation);

        /// <summary>Schedules the continuation without flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void UnsafeOnCompleted(Action continuation) => _inner.UnsafeOnCompleted(continuation);

        bool IFrameAwaiter.TryRegister(Waiter waiter) => ((IFrameAwaiter)_inner).TryRegister(waiter);
    }

    /// <summary>The awaitable returned by <see cref="ConfigureAwait"/>.</summary>
    public readonly struct ConfiguredAwaitable
    {
        private readonly SimpleTask<VoidResult>.ConfiguredAwaitable _inner;

        internal ConfiguredAwaitable(SimpleTask<VoidResult>.ConfiguredAwaitable inner) => _inner = inner;

        /// <summary>Gets the configured awaiter.</summary>
        /// <returns>The awaiter.</returns>
        public Awaiter GetAwaiter() => new(_inner.GetAwaiter());

        /// <summary>Awaits a <see cref="SimpleTask"/> as configured; awaiting releases the handle.</summary>
        public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
        {
            private readonly SimpleTask<VoidResult>.ConfiguredAwaitable.Awaiter _inner;

            internal Awaiter(SimpleTask<VoidResult>.ConfiguredAwaitable.Awaiter inner) => _inner = inner;

            /// <summary>Whether the operation has completed.</summary>
            /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
            public bool IsCompleted => _inner.IsCompleted;

            /// <summary>Rethrows the exception, if any, and releases the handle's reference.</summary>
            /// <exception cref="ObjectDisposedException">The handle's reference was already released (it was consumed twice).</exception>
            public void GetResult() => _inner.GetResult();

            /// <summary>Schedules the continuation, flowing the execution context.</summary>
            /// <param name="continuation">The continuation.</param>
            public void OnCompleted(Action continuation) => _inner.OnCompleted(continuation);

            /// <summary>Schedules the continuation without flowing the execution context.</summary>
            /// <param name="continuation">The continuation.</param>
            public void UnsafeOnCompleted(Action continuation) => _inner.UnsafeOnCompleted(continuation);

            bool IFrameAwaiter.TryRegister(Waiter waiter) => ((IFrameAwaiter)_inner).TryRegister(waiter);
        }
    }
}
