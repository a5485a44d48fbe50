using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// A shareable, pooled task-like value: the return type of an <c>async</c> method that any number of callers may
/// await, on any threads. The handle owns one reference to the operation's frame; awaiting it reads the result and
/// releases that reference, and the frame goes back to its pool when the last reference is released.
/// </summary>
/// <typeparam name="T">The type of the result.</typeparam>
/// <remarks>
/// <para>Ownership rules:</para>
/// <list type="bullet">
/// <item><description>A handle is consumed exactly once: by <c>await</c>, <see cref="AsTask"/>, <see cref="AsValueTask"/>,
/// <see cref="Dispose"/> or <see cref="ToPromisePtr"/>. Consuming it again (for instance through a plain struct copy) is a
/// misuse that throws <see cref="ObjectDisposedException"/> or <see cref="InvalidOperationException"/> at that use; it
/// never affects another handle.</description></item>
/// <item><description>Every additional awaiter needs its own handle: <see cref="Share"/> returns one.</description></item>
/// <item><description>To store a task and await it many times, move it into a <see cref="PromisePtr{T}"/>.</description></item>
/// </list>
/// <para>A method that completes without suspending rents no frame and allocates nothing;
/// <c>default(SimpleTask&lt;T&gt;)</c> is a completed task with <c>default(T)</c>, like <c>default(ValueTask&lt;T&gt;)</c>.</para>
/// <para>SimpleTask deliberately does not implement <see cref="IDisposable"/>: <c>using</c> plus <c>await</c> would release
/// the same reference twice.</para>
/// </remarks>
[AsyncMethodBuilder(typeof(SimpleTaskMethodBuilder<>))]
[StructLayout(LayoutKind.Auto)]
public readonly partial struct SimpleTask<T>
{
    /// <summary>The frame this handle owns a reference to, or null for a result held inline.</summary>
    internal readonly Frame<T>? _frame;

    /// <summary>The inline result when <see cref="_frame"/> is null.</summary>
    internal readonly T _result;

    /// <summary>Which reference of <see cref="_frame"/> this handle owns.</summary>
    internal readonly HandleToken _handle;

    /// <summary>Creates a completed task holding <paramref name="result"/> (no frame, no allocation).</summary>
    /// <param name="result">The result.</param>
    public SimpleTask(T result)
    {
        _frame = null;
        _result = result;
        _handle = default;
    }

    internal SimpleTask(Frame<T> frame, HandleToken handle)
    {
        _frame = frame;
        _result = default!;
        _handle = handle;
    }

    /// <summary>Whether the operation has completed (successfully, faulted or canceled).</summary>
    /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
    public bool IsCompleted
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _frame is not { } frame || frame.IsCompleted(_handle);
    }

    /// <summary>Whether the operation completed with a result.</summary>
    /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
    public bool IsCompletedSuccessfully => _frame is not { } frame || frame.IsCompletedSuccessfully(_handle);

    /// <summary>Whether the operation completed with an exception other than <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
    public bool IsFaulted => _frame is { } frame && frame.IsFaulted(_handle);

    /// <summary>Whether the operation completed with an <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
    public bool IsCanceled => _frame is { } frame && frame.IsCanceled(_handle);

    /// <summary>
    /// Returns another handle to the same operation, owning its own reference. This handle stays valid and must still be
    /// consumed.
    /// </summary>
    /// <returns>A new owning handle.</returns>
    /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
    /// <exception cref="OverflowException">The operation already has the maximum number of counted references.</exception>
    public SimpleTask<T> Share() => _frame is { } frame ? new SimpleTask<T>(frame, frame.AddReference(_handle)) : this;

    /// <summary>Releases this handle's reference without awaiting the result.</summary>
    /// <exception cref="ObjectDisposedException">The handle's reference was already released (a double release).</exception>
    /// <exception cref="InvalidOperationException">An await of this same handle is still pending.</exception>
    public void Dispose() => _frame?.Release(_handle);

    /// <summary>
    /// Moves this handle's reference into a <see cref="PromisePtr{T}"/> (no new reference). The pointer can be awaited any
    /// number of times and copied; it releases the reference when disposed. This handle is consumed.
    /// </summary>
    /// <returns>The owning pointer.</returns>
    public PromisePtr<T> ToPromisePtr() => new(this);

    /// <summary>
    /// Consumes the handle and returns a <see cref="Task{TResult}"/> with the same outcome: the result, the exception
    /// (every one, when the operation faulted with several), or the cancellation and its token.
    /// </summary>
    /// <returns>A task that completes with this operation's outcome.</returns>
    public Task<T> AsTask() => _frame is null ? Task.FromResult(_result) : TaskBridge<T>.Start(this);

    /// <summary>
    /// Consumes the handle and returns a <see cref="ValueTask{TResult}"/> with the same outcome, without allocating: a
    /// completed operation is read now, a pending one is backed by a pooled
    /// <see cref="System.Threading.Tasks.Sources.IValueTaskSource{TResult}"/>. The ValueTask follows ValueTask's rules:
    /// await it once; a second read, or a read before completion, throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <returns>A value task with this operation's outcome.</returns>
    public ValueTask<T> AsValueTask() =>
        StartValueTask(out T result, out short token) is { } source ? new ValueTask<T>(source, token) : new ValueTask<T>(result);

    /// <summary>Gets the awaiter; awaiting consumes the handle.</summary>
    /// <returns>The awaiter.</returns>
    public Awaiter GetAwaiter() => new(this);

    /// <summary>Configures whether the continuation resumes on the captured context.</summary>
    /// <param name="continueOnCapturedContext">
    /// True to resume on the captured <see cref="SynchronizationContext"/> or <see cref="TaskScheduler"/>; false to
    /// resume on whichever thread completes the operation.
    /// </param>
    /// <returns>An awaitable that consumes the handle.</returns>
    public ConfiguredAwaitable ConfigureAwait(bool continueOnCapturedContext) => new(this, continueOnCapturedContext);

    /// <inheritdoc />
    public override string ToString() =>
        _frame is null ? $"{DisplayNames.Result<T>()}(completed)" : $"{DisplayNames.Result<T>()}({_handle})";

    /// <summary>
    /// Consumes the handle for a ValueTask: reads a completed outcome into <paramref name="result"/> (null returned), or
    /// starts a pooled source for a pending one.
    /// </summary>
    internal ValueTaskSourceWaiter<T>? StartValueTask(out T result, out short token)
    {
        token = 0;
        if (_frame is not { } frame || frame.IsCompletedSuccessfully(_handle))
        {
            result = Consume();
            return null;
        }

        result = default!;
        return ValueTaskSourceWaiter<T>.Start(this, out token);
    }

    /// <summary>
    /// Whether the operation completed, or the handle no longer owns its reference (its await then reports the misuse):
    /// <see cref="IsCompleted"/> without the throw, for the combinators, which leave every misuse to the await.
    /// </summary>
    internal bool IsCompletedOrMisused
    {
        get
        {
            try
            {
                return IsCompleted;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }
    }

    internal T Consume() => _frame is { } frame ? frame.Consume(_handle) : _result;

    /// <summary>Consumes the handle without throwing the outcome (see <see cref="Frame{T}.ConsumeOutcome"/>).</summary>
    internal ExceptionDispatchInfo? ConsumeOutcome(out T result, out Exception[]? faults)
    {
        if (_frame is { } frame)
        {
            return frame.ConsumeOutcome(_handle, out result, out faults);
        }

        result = _result;
        faults = null;
        return null;
    }

    internal T Peek() => _frame is { } frame ? frame.Peek(_handle) : _result;

    /// <summary>
    /// Links <paramref name="waiter"/> to run when the operation completes, capturing the resume context when asked.
    /// False when it will not be run by completion (completed already, or a misused handle): the caller schedules it,
    /// and its GetResult reports the outcome or the misuse.
    /// </summary>
    internal bool TryRegister(Waiter waiter, bool consuming, bool continueOnCapturedContext)
    {
        waiter.ResumeContext = continueOnCapturedContext ? Continuations.CaptureResumeContext() : null;
        return _frame is { } frame && frame.TryRegister(_handle, waiter, consuming);
    }

    /// <summary>
    /// <see cref="TryRegister"/> for the library's own waiters, which run wherever the completion happens (see
    /// <see cref="Continuations.Anywhere"/>).
    /// </summary>
    internal bool TryRegisterInternal(Waiter waiter)
    {
        waiter.ResumeContext = Continuations.Anywhere;
        return _frame is { } frame && frame.TryRegister(_handle, waiter, consuming: true);
    }

    /// <summary>Registers a foreign continuation; it runs exactly once, whatever happens meanwhile. Never throws for a misuse.</summary>
    internal void OnCompleted(Action continuation, bool flowExecutionContext, bool continueOnCapturedContext, bool consuming)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ActionWaiter waiter = ActionWaiter.Rent(continuation, flowExecutionContext);
        if (!TryRegister(waiter, consuming, continueOnCapturedContext))
        {
            Continuations.ScheduleForeignAfterLostRace(waiter);
        }
    }

    /// <summary>Awaits a <see cref="SimpleTask{T}"/>, resuming on the captured context; reading the result releases the handle.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
    {
        private readonly SimpleTask<T> _task;

        internal Awaiter(SimpleTask<T> task) => _task = task;

        /// <summary>Whether the operation has completed.</summary>
        /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
        public bool IsCompleted
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _task.IsCompleted;
        }

        /// <summary>Returns the result or rethrows the exception, and releases the handle's reference.</summary>
        /// <returns>The result.</returns>
        /// <exception cref="ObjectDisposedException">The handle's reference was already released (it was consumed twice).</exception>
        public T GetResult() => _task.Consume();

        /// <summary>Schedules the continuation, flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void OnCompleted(Action continuation) =>
            _task.OnCompleted(continuation, flowExecutionContext: true, continueOnCapturedContext: true, consuming: true);

        /// <summary>Schedules the continuation without flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void UnsafeOnCompleted(Action continuation) =>
            _task.OnCompleted(continuation, flowExecutionContext: false, continueOnCapturedContext: true, consuming: true);

        bool IFrameAwaiter.TryRegister(Waiter waiter) =>
            _task.TryRegister(waiter, consuming: true, continueOnCapturedContext: true);
    }

    /// <summary>The awaitable returned by <see cref="ConfigureAwait"/>.</summary>
    public readonly struct ConfiguredAwaitable
    {
        private readonly SimpleTask<T> _task;
        private readonly bool _continueOnCapturedContext;

        internal ConfiguredAwaitable(SimpleTask<T> task, bool continueOnCapturedContext)
        {
            _task = task;
            _continueOnCapturedContext = continueOnCapturedContext;
        }

        /// <summary>Gets the configured awaiter.</summary>
        /// <returns>The awaiter.</returns>
        public Awaiter GetAwaiter() => new(_task, _continueOnCapturedContext);

        /// <summary>Awaits a <see cref="SimpleTask{T}"/> as configured; reading the result releases the handle.</summary>
        public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
        {
            private readonly SimpleTask<T> _task;
            private readonly bool _continueOnCapturedContext;

            internal Awaiter(SimpleTask<T> task, bool continueOnCapturedContext)
            {
                _task = task;
                _continueOnCapturedContext = continueOnCapturedContext;
            }

            /// <summary>Whether the operation has completed.</summary>
            /// <exception cref="ObjectDisposedException">The handle's reference was already released.</exception>
            public bool IsCompleted => _task.IsCompleted;

            /// <summary>Returns the result or rethrows the exception, and releases the handle's reference.</summary>
            /// <returns>The result.</returns>
            /// <exception cref="ObjectDisposedException">The handle's reference was already released (it was consumed twice).</exception>
            public T GetResult() => _task.Consume();

            /// <summary>Schedules the continuation, flowing the execution context.</summary>
            /// <param name="continuation">The continuation.</param>
            public void OnCompleted(Action continuation) =>
                _task.OnCompleted(continuation, flowExecutionContext: true, _continueOnCapturedContext, consuming: true);

            /// <summary>Schedules the continuation without flowing the execution context.</summary>
            /// <param name="continuation">The continuation.</param>
            public void UnsafeOnCompleted(Action continuation) =>
                _task.OnCompleted(continuation, flowExecutionContext: false, _continueOnCapturedContext, consuming: true);

            bool IFrameAwaiter.TryRegister(Waiter waiter) =>
                _task.TryRegister(waiter, consuming: true, _continueOnCapturedContext);
        }
    }
}
