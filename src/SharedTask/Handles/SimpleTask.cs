using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using SharedTask.Combinators;
using SharedTask.Frames;

namespace SharedTask;

/// <summary>
/// A shareable, pooled task-like value with no result: the non-generic counterpart of <see cref="SimpleTask{T}"/>,
/// with the same ownership rules. Also the home of the factory methods.
/// </summary>
[AsyncMethodBuilder(typeof(SimpleTaskMethodBuilder))]
public readonly struct SimpleTask
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

    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when all of them have: with every
    /// result in input order, or, as <see cref="Task.WhenAll{TResult}(Task{TResult}[])"/> does, faulted when any input
    /// faulted, else canceled when any input was canceled.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="tasks">The handles to wait for; each is consumed (do not use them again).</param>
    /// <returns>
    /// An owning handle to the results (a new array; an empty one for no inputs). Its await throws the only fault
    /// itself, an <see cref="AggregateException"/> of every fault in input order when several inputs faulted, or the
    /// first cancellation when inputs were canceled and none faulted.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <remarks>
    /// Allocation-free in steady state apart from the result array (a pooled frame and one pooled node per input). A
    /// handle whose reference was already released counts as an input that faulted with
    /// <see cref="ObjectDisposedException"/>.
    /// </remarks>
    public static SimpleTask<T[]> WhenAll<T>(params SimpleTask<T>[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAllArrayFrame<T>.Start(tasks);
    }

    /// <inheritdoc cref="WhenAll{T}(SimpleTask{T}[])"/>
    public static SimpleTask<T[]> WhenAll<T>(params ReadOnlySpan<SimpleTask<T>> tasks) => WhenAllArrayFrame<T>.Start(tasks);

    /// <inheritdoc cref="WhenAll{T}(SimpleTask{T}[])"/>
    public static SimpleTask<T[]> WhenAll<T>(IEnumerable<SimpleTask<T>> tasks) => WhenAllArrayFrame<T>.Start(Materialize(tasks));

    /// <summary>
    /// Consumes both handles and returns one that completes when both have: with both results, or faulted or canceled
    /// as <see cref="WhenAll{T}(SimpleTask{T}[])"/> is.
    /// </summary>
    /// <typeparam name="T1">The first result type.</typeparam>
    /// <typeparam name="T2">The second result type.</typeparam>
    /// <param name="task1">The first handle; consumed.</param>
    /// <param name="task2">The second handle; consumed.</param>
    /// <returns>An owning handle to both results.</returns>
    /// <remarks>Allocation-free in steady state: a pooled frame and two pooled nodes, no array.</remarks>
    public static SimpleTask<(T1, T2)> WhenAll<T1, T2>(SimpleTask<T1> task1, SimpleTask<T2> task2) =>
        WhenAllPairFrame<T1, T2>.Start(task1, task2);

    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when all of them have:
    /// successfully, or faulted or canceled as <see cref="WhenAll{T}(SimpleTask{T}[])"/> is.
    /// </summary>
    /// <param name="tasks">The handles to wait for; each is consumed (do not use them again).</param>
    /// <returns>An owning handle (a completed one for no inputs).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <remarks>Allocation-free in steady state (a pooled frame and one pooled node per input).</remarks>
    public static SimpleTask WhenAll(params SimpleTask[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAllVoidFrame.Start(tasks);
    }

    /// <inheritdoc cref="WhenAll(SimpleTask[])"/>
    public static SimpleTask WhenAll(params ReadOnlySpan<SimpleTask> tasks) => WhenAllVoidFrame.Start(tasks);

    /// <inheritdoc cref="WhenAll(SimpleTask[])"/>
    public static SimpleTask WhenAll(IEnumerable<SimpleTask> tasks) => WhenAllVoidFrame.Start(Materialize(tasks));

    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when the first of them does, with
    /// that input's position and result, or with its exception (as <c>await await Task.WhenAny(...)</c> would throw it).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="tasks">The handles to race (at least one); each is consumed (do not use them again).</param>
    /// <returns>An owning handle to the winner's position in <paramref name="tasks"/> and its result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tasks"/> is empty.</exception>
    /// <remarks>
    /// <para>Inputs that had completed before the call win in input order, as with <see cref="Task.WhenAny(Task[])"/>.</para>
    /// <para>The losers are not canceled (nothing in a SimpleTask can cancel its operation): each one's reference is
    /// released when it completes, and its outcome, exception included, is dropped. The combined handle's frame does not
    /// wait for them. To read the losers' outcomes too, race <c>Share()</c>s of handles you keep (or
    /// <see cref="PromisePtr{T}.ShareTask"/>) and await the one at the returned position.</para>
    /// <para>Allocation-free in steady state (a pooled frame and one pooled node per input).</para>
    /// </remarks>
    public static SimpleTask<(int Index, T Result)> WhenAny<T>(params SimpleTask<T>[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAny((ReadOnlySpan<SimpleTask<T>>)tasks);
    }

    /// <inheritdoc cref="WhenAny{T}(SimpleTask{T}[])"/>
    public static SimpleTask<(int Index, T Result)> WhenAny<T>(params ReadOnlySpan<SimpleTask<T>> tasks)
    {
        if (tasks.IsEmpty)
        {
            throw new ArgumentException("WhenAny needs at least one task to wait for.", nameof(tasks));
        }

        return WhenAnyValueFrame<T>.Start(tasks);
    }

    /// <inheritdoc cref="WhenAny{T}(SimpleTask{T}[])"/>
    public static SimpleTask<(int Index, T Result)> WhenAny<T>(IEnumerable<SimpleTask<T>> tasks) => WhenAny(Materialize(tasks));

    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when the first of them does, with
    /// that input's position, or with its exception.
    /// </summary>
    /// <param name="tasks">The handles to race (at least one); each is consumed (do not use them again).</param>
    /// <returns>An owning handle to the winner's position in <paramref name="tasks"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tasks"/> is empty.</exception>
    /// <remarks>The losers are released as they complete, their outcomes dropped (see <see cref="WhenAny{T}(SimpleTask{T}[])"/>).</remarks>
    public static SimpleTask<int> WhenAny(params SimpleTask[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAny((ReadOnlySpan<SimpleTask>)tasks);
    }

    /// <inheritdoc cref="WhenAny(SimpleTask[])"/>
    public static SimpleTask<int> WhenAny(params ReadOnlySpan<SimpleTask> tasks)
    {
        if (tasks.IsEmpty)
        {
            throw new ArgumentException("WhenAny needs at least one task to wait for.", nameof(tasks));
        }

        return WhenAnyIndexFrame.Start(tasks);
    }

    /// <inheritdoc cref="WhenAny(SimpleTask[])"/>
    public static SimpleTask<int> WhenAny(IEnumerable<SimpleTask> tasks) => WhenAny(Materialize(tasks));

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

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or as canceled when
    /// <paramref name="cancellationToken"/> is canceled first; only this wait ends (see
    /// <see cref="SimpleTask{T}.WaitAsync(CancellationToken)"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle.</returns>
    public SimpleTask WaitAsync(CancellationToken cancellationToken) => new(_inner.WaitAsync(cancellationToken));

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or with a
    /// <see cref="TimeoutException"/> when <paramref name="timeout"/> elapses first; only this wait ends (see
    /// <see cref="SimpleTask{T}.WaitAsync(TimeSpan)"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <returns>An owning handle.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms; the handle is still consumed.</exception>
    public SimpleTask WaitAsync(TimeSpan timeout) => new(_inner.WaitAsync(timeout));

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or as canceled, or timed out,
    /// whichever comes first; only this wait ends (see <see cref="SimpleTask{T}.WaitAsync(TimeSpan, CancellationToken)"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms; the handle is still consumed.</exception>
    public SimpleTask WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(_inner.WaitAsync(timeout, cancellationToken));

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

    /// <summary>The handles of a sequence, without a copy when it is an array or a list.</summary>
    private static ReadOnlySpan<TTask> Materialize<TTask>(IEnumerable<TTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return tasks switch
        {
            TTask[] array => array,
            List<TTask> list => CollectionsMarshal.AsSpan(list),
            _ => tasks.ToArray(),
        };
    }

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
