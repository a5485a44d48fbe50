using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// <see cref="Dispose"/> or <see cref="ToPromisePtr"/>. Consuming it again is a misuse that throws
/// <see cref="ObjectDisposedException"/> once the frame has been released.</description></item>
/// <item><description>Every additional awaiter needs its own handle: <see cref="Share"/> returns one (reference count +1).</description></item>
/// <item><description>To store a task and await it many times, move it into a <see cref="PromisePtr{T}"/>.</description></item>
/// </list>
/// <para>A method that completes without suspending rents no frame and allocates nothing;
/// <c>default(SimpleTask&lt;T&gt;)</c> is a completed task with <c>default(T)</c>, like <c>default(ValueTask&lt;T&gt;)</c>.</para>
/// <para>SimpleTask deliberately does not implement <see cref="IDisposable"/>: <c>using</c> plus <c>await</c> would release
/// the same reference twice.</para>
/// </remarks>
[AsyncMethodBuilder(typeof(SimpleTaskMethodBuilder<>))]
[StructLayout(LayoutKind.Auto)]
public readonly struct SimpleTask<T>
{
    /// <summary>The frame this handle owns a reference to, or null for a result held inline.</summary>
    internal readonly Frame<T>? _frame;

    /// <summary>The inline result when <see cref="_frame"/> is null.</summary>
    internal readonly T _result;

    /// <summary>The generation of <see cref="_frame"/> this handle's reference belongs to.</summary>
    internal readonly uint _generation;

    /// <summary>Creates a completed task holding <paramref name="result"/> (no frame, no allocation).</summary>
    /// <param name="result">The result.</param>
    public SimpleTask(T result)
    {
        _frame = null;
        _result = result;
        _generation = 0;
    }

    internal SimpleTask(Frame<T> frame, uint generation)
    {
        _frame = frame;
        _result = default!;
        _generation = generation;
    }

    /// <summary>Whether the operation has completed (successfully, faulted or canceled).</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsCompleted
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _frame is not { } frame || frame.IsCompleted(_generation);
    }

    /// <summary>Whether the operation completed with a result.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsCompletedSuccessfully => _frame is not { } frame || frame.IsCompletedSuccessfully(_generation);

    /// <summary>Whether the operation completed with an exception other than <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsFaulted => _frame is { } frame && frame.IsFaulted(_generation);

    /// <summary>Whether the operation completed with an <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public bool IsCanceled => _frame is { } frame && frame.IsCanceled(_generation);

    /// <summary>
    /// Returns another handle to the same operation, owning its own reference (count +1). This handle stays valid
    /// and must still be consumed.
    /// </summary>
    /// <returns>A new owning handle.</returns>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    /// <exception cref="OverflowException">The frame already has the maximum number of references.</exception>
    public SimpleTask<T> Share()
    {
        _frame?.AddReference(_generation);
        return this;
    }

    /// <summary>Releases this handle's reference without awaiting the result.</summary>
    /// <exception cref="ObjectDisposedException">The handle was already consumed and its frame released.</exception>
    public void Dispose() => _frame?.Release(_generation);

    /// <summary>
    /// Moves this handle's reference into a <see cref="PromisePtr{T}"/> (no count change). The pointer can be
    /// awaited any number of times and copied; it releases the reference when disposed. This handle is consumed.
    /// </summary>
    /// <returns>The owning pointer.</returns>
    public PromisePtr<T> ToPromisePtr() => new(this);

    /// <summary>Consumes the handle and returns a <see cref="Task{TResult}"/> with the same outcome.</summary>
    /// <returns>A task that completes with this operation's result, exception or cancellation.</returns>
    public Task<T> AsTask() => _frame is null ? Task.FromResult(_result) : AwaitAsTask(this);

    /// <summary>
    /// Consumes the handle and returns a <see cref="ValueTask{TResult}"/> with the same outcome, without allocating: a
    /// completed operation is read now, a pending one is backed by a pooled <see cref="System.Threading.Tasks.Sources.IValueTaskSource{TResult}"/>.
    /// The ValueTask follows ValueTask's rules: await it once.
    /// </summary>
    /// <returns>A value task with this operation's outcome.</returns>
    public ValueTask<T> AsValueTask()
    {
        if (_frame is not { } frame)
        {
            return new ValueTask<T>(_result);
        }

        if (!frame.IsCompletedSuccessfully(_generation))
        {
            ValueTaskSourceWaiter<T> source = ValueTaskSourceWaiter<T>.Start(this, out short token);
            return new ValueTask<T>(source, token);
        }

        return new ValueTask<T>(Consume());
    }

    /// <summary>Gets the awaiter; awaiting consumes the handle.</summary>
    /// <returns>The awaiter.</returns>
    public Awaiter GetAwaiter() => new(this, continueOnCapturedContext: true, releaseOnResult: true);

    /// <summary>Configures whether the continuation resumes on the captured context.</summary>
    /// <param name="continueOnCapturedContext">
    /// True to resume on the captured <see cref="SynchronizationContext"/> or <see cref="TaskScheduler"/>; false to
    /// resume on whichever thread completes the operation.
    /// </param>
    /// <returns>An awaitable that consumes the handle.</returns>
    public ConfiguredAwaitable ConfigureAwait(bool continueOnCapturedContext) =>
        new(this, continueOnCapturedContext, releaseOnResult: true);

    /// <inheritdoc />
    public override string ToString() =>
        _frame is null ? $"SimpleTask<{typeof(T).Name}>(completed)" : $"SimpleTask<{typeof(T).Name}>(generation {_generation})";

    internal T Consume() => _frame is { } frame ? frame.ConsumeResult(_generation) : _result;

    internal T Peek() => _frame is { } frame ? frame.PeekResult(_generation) : _result;

    internal bool TryRegister(Waiter waiter, bool continueOnCapturedContext) =>
        _frame is { } frame && frame.TryRegister(_generation, waiter, continueOnCapturedContext);

    /// <summary>Registers a foreign continuation; it runs exactly once, even if the operation completes meanwhile.</summary>
    internal void OnCompleted(Action continuation, bool flowExecutionContext, bool continueOnCapturedContext)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ActionWaiter waiter = ActionWaiter.Rent(continuation, flowExecutionContext);
        if (_frame is { } frame)
        {
            if (frame.TryRegister(_generation, waiter, continueOnCapturedContext))
            {
                return;
            }
        }
        else
        {
            waiter.ResumeContext = continueOnCapturedContext ? Continuations.CaptureResumeContext() : null;
        }

        Continuations.ScheduleForeignAfterLostRace(waiter);
    }

    private static async Task<T> AwaitAsTask(SimpleTask<T> task) => await task.ConfigureAwait(false);

    /// <summary>
    /// Awaits a <see cref="SimpleTask{T}"/> (reading the result releases the handle's reference) or a
    /// <see cref="PromisePtr{T}"/> (the pointer keeps its reference).
    /// </summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
    {
        private readonly SimpleTask<T> _task;
        private readonly bool _continueOnCapturedContext;
        private readonly bool _releaseOnResult;

        internal Awaiter(SimpleTask<T> task, bool continueOnCapturedContext, bool releaseOnResult)
        {
            _task = task;
            _continueOnCapturedContext = continueOnCapturedContext;
            _releaseOnResult = releaseOnResult;
        }

        /// <summary>Whether the operation has completed.</summary>
        public bool IsCompleted
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _task.IsCompleted;
        }

        /// <summary>
        /// Returns the result or rethrows the exception; for a SimpleTask, releases the handle's reference.
        /// </summary>
        /// <returns>The result.</returns>
        public T GetResult() => _releaseOnResult ? _task.Consume() : _task.Peek();

        /// <summary>Schedules the continuation, flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void OnCompleted(Action continuation) =>
            _task.OnCompleted(continuation, flowExecutionContext: true, _continueOnCapturedContext);

        /// <summary>Schedules the continuation without flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void UnsafeOnCompleted(Action continuation) =>
            _task.OnCompleted(continuation, flowExecutionContext: false, _continueOnCapturedContext);

        bool IFrameAwaiter.TryRegister(Waiter waiter) => _task.TryRegister(waiter, _continueOnCapturedContext);
    }

    /// <summary>The awaitable returned by ConfigureAwait on a <see cref="SimpleTask{T}"/> or <see cref="PromisePtr{T}"/>.</summary>
    public readonly struct ConfiguredAwaitable
    {
        private readonly SimpleTask<T> _task;
        private readonly bool _continueOnCapturedContext;
        private readonly bool _releaseOnResult;

        internal ConfiguredAwaitable(SimpleTask<T> task, bool continueOnCapturedContext, bool releaseOnResult)
        {
            _task = task;
            _continueOnCapturedContext = continueOnCapturedContext;
            _releaseOnResult = releaseOnResult;
        }

        /// <summary>Gets the configured awaiter.</summary>
        /// <returns>The awaiter.</returns>
        public Awaiter GetAwaiter() => new(_task, _continueOnCapturedContext, _releaseOnResult);
    }
}
