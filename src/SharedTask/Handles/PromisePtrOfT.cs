using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// A reference-counted smart pointer to a <see cref="SimpleTask{T}"/>'s frame, for storing a shared operation and
/// handing copies to other threads. It owns one reference from creation until <see cref="Dispose"/>; the frame goes
/// back to its pool when the last reference anywhere is released.
/// </summary>
/// <typeparam name="T">The type of the result.</typeparam>
/// <remarks>
/// <para>Unlike a <see cref="SimpleTask{T}"/>, awaiting a pointer does not release it: it may be awaited any number of
/// times, by any number of awaiters at once, while it is owned. Give every other owner its own <see cref="Copy"/>; each
/// copy is disposed once.</para>
/// <para>This is a mutable struct, like a C++ smart pointer: <see cref="Dispose"/> and <see cref="ToSimpleTask"/> clear
/// the variable they are called on, so a second Dispose of the same variable does nothing. A plain assignment
/// (<c>var b = a;</c>) does not add a reference: disposing both <c>a</c> and <c>b</c> throws
/// <see cref="ObjectDisposedException"/> at the second, and never touches another pointer's reference.</para>
/// <para>An await that is pending when its pointer is disposed keeps the operation alive until it completes, and then
/// throws <see cref="ObjectDisposedException"/>: the pointer it read through was gone.</para>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public partial struct PromisePtr<T> : IDisposable
{
    private SimpleTask<T> _task;
    private bool _owned;

    internal PromisePtr(SimpleTask<T> task)
    {
        _task = task;
        _owned = true;
    }

    /// <summary>Whether this pointer owns nothing (default, disposed, or moved out).</summary>
    public readonly bool IsNull => !_owned;

    /// <summary>Whether the operation has completed.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released (through a plain struct copy).</exception>
    public readonly bool IsCompleted => Owned.IsCompleted;

    /// <summary>Whether the operation completed with a result.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly bool IsCompletedSuccessfully => Owned.IsCompletedSuccessfully;

    /// <summary>Whether the operation completed with an exception other than <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly bool IsFaulted => Owned.IsFaulted;

    /// <summary>Whether the operation completed with an <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly bool IsCanceled => Owned.IsCanceled;

    private readonly SimpleTask<T> Owned
    {
        get
        {
            if (!_owned)
            {
                Throw.NullPromisePtr();
            }

            return _task;
        }
    }

    /// <summary>Returns a new pointer to the same frame, owning its own reference.</summary>
    /// <returns>The copy; dispose it once.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    /// <exception cref="OverflowException">The operation already has the maximum number of counted references.</exception>
    public readonly PromisePtr<T> Copy() => new(Owned.Share());

    /// <summary>Returns a <see cref="SimpleTask{T}"/> owning a new reference, for an API that consumes one.</summary>
    /// <returns>A new owning handle.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
    public readonly SimpleTask<T> ShareTask() => Owned.Share();

    /// <summary>Moves the reference out into a <see cref="SimpleTask{T}"/> (no new reference); this pointer becomes null.</summary>
    /// <returns>The owning handle.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public SimpleTask<T> ToSimpleTask()
    {
        SimpleTask<T> task = Owned;
        this = default;
        return task;
    }

    /// <summary>
    /// Releases the reference (the last release anywhere returns the frame to its pool) and makes this pointer null.
    /// Disposing a null pointer does nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">
    /// The reference was already released through a plain struct copy of this pointer.
    /// </exception>
    public void Dispose()
    {
        if (!_owned)
        {
            return;
        }

        SimpleTask<T> task = _task;
        this = default;
        task.Dispose();
    }

    /// <summary>Gets an awaiter that reads the result without releasing the pointer.</summary>
    /// <returns>The awaiter.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly Awaiter GetAwaiter() => new(Owned);

    /// <summary>Configures whether the continuation resumes on the captured context.</summary>
    /// <param name="continueOnCapturedContext">True to resume on the captured context.</param>
    /// <returns>An awaitable that does not release the pointer.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly ConfiguredAwaitable ConfigureAwait(bool continueOnCapturedContext) => new(Owned, continueOnCapturedContext);

    /// <inheritdoc />
    public override readonly string ToString() =>
        _owned ? $"PromisePtr<{typeof(T).Name}>({_task})" : $"PromisePtr<{typeof(T).Name}>(null)";

    /// <summary>Awaits a <see cref="PromisePtr{T}"/>, resuming on the captured context; the pointer keeps its reference.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
    {
        private readonly SimpleTask<T> _task;

        internal Awaiter(SimpleTask<T> task) => _task = task;

        /// <summary>Whether the operation has completed.</summary>
        /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
        public bool IsCompleted
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _task.IsCompleted;
        }

        /// <summary>Returns the result or rethrows the exception; the pointer keeps its reference.</summary>
        /// <returns>The result.</returns>
        /// <exception cref="ObjectDisposedException">The pointer was disposed while this await was pending.</exception>
        public T GetResult() => _task.Peek();

        /// <summary>Schedules the continuation, flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void OnCompleted(Action continuation) =>
            _task.OnCompleted(continuation, flowExecutionContext: true, continueOnCapturedContext: true, consuming: false);

        /// <summary>Schedules the continuation without flowing the execution context.</summary>
        /// <param name="continuation">The continuation.</param>
        public void UnsafeOnCompleted(Action continuation) =>
            _task.OnCompleted(continuation, flowExecutionContext: false, continueOnCapturedContext: true, consuming: false);

        bool IFrameAwaiter.TryRegister(Waiter waiter) =>
            _task.TryRegister(waiter, consuming: false, continueOnCapturedContext: true);
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

        /// <summary>Awaits a <see cref="PromisePtr{T}"/> as configured; the pointer keeps its reference.</summary>
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
            /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
            public bool IsCompleted => _task.IsCompleted;

            /// <summary>Returns the result or rethrows the exception; the pointer keeps its reference.</summary>
            /// <returns>The result.</returns>
            /// <exception cref="ObjectDisposedException">The pointer was disposed while this await was pending.</exception>
            public T GetResult() => _task.Peek();

            /// <summary>Schedules the continuation, flowing the execution context.</summary>
            /// <param name="continuation">The continuation.</param>
            public void OnCompleted(Action continuation) =>
                _task.OnCompleted(continuation, flowExecutionContext: true, _continueOnCapturedContext, consuming: false);

            /// <summary>Schedules the continuation without flowing the execution context.</summary>
            /// <param name="continuation">The continuation.</param>
            public void UnsafeOnCompleted(Action continuation) =>
                _task.OnCompleted(continuation, flowExecutionContext: false, _continueOnCapturedContext, consuming: false);

            bool IFrameAwaiter.TryRegister(Waiter waiter) =>
                _task.TryRegister(waiter, consuming: false, _continueOnCapturedContext);
        }
    }
}
