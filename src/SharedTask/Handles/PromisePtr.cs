using System.Runtime.CompilerServices;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// The reference-counted smart pointer to a <see cref="SimpleTask"/>'s frame: the non-generic counterpart of
/// <see cref="PromisePtr{T}"/>, with the same rules.
/// </summary>
public partial struct PromisePtr : IDisposable
{
    private PromisePtr<VoidResult> _inner;

    internal PromisePtr(PromisePtr<VoidResult> inner) => _inner = inner;

    /// <summary>Whether this pointer owns nothing (default, disposed, or moved out).</summary>
    public readonly bool IsNull => _inner.IsNull;

    /// <summary>Whether the operation has completed.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly bool IsCompleted => _inner.IsCompleted;

    /// <summary>Whether the operation completed without an exception.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly bool IsCompletedSuccessfully => _inner.IsCompletedSuccessfully;

    /// <summary>Whether the operation completed with an exception other than <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly bool IsFaulted => _inner.IsFaulted;

    /// <summary>Whether the operation completed with an <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly bool IsCanceled => _inner.IsCanceled;

    /// <summary>Returns a new pointer to the same frame, owning its own reference.</summary>
    /// <returns>The copy; dispose it once.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly PromisePtr Copy() => new(_inner.Copy());

    /// <summary>Returns a <see cref="SimpleTask"/> owning a new reference.</summary>
    /// <returns>A new owning handle.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly SimpleTask ShareTask() => new(_inner.ShareTask());

    /// <summary>Moves the reference out into a <see cref="SimpleTask"/>; this pointer becomes null.</summary>
    /// <returns>The owning handle.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public SimpleTask ToSimpleTask() => new(_inner.ToSimpleTask());

    /// <summary>Releases the reference and makes this pointer null; disposing a null pointer does nothing.</summary>
    public void Dispose() => _inner.Dispose();

    /// <summary>Gets an awaiter that waits without releasing the pointer.</summary>
    /// <returns>The awaiter.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly Awaiter GetAwaiter() => new(_inner.GetAwaiter());

    /// <summary>Configures whether the continuation resumes on the captured context.</summary>
    /// <param name="continueOnCapturedContext">True to resume on the captured context.</param>
    /// <returns>An awaitable that does not release the pointer.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly ConfiguredAwaitable ConfigureAwait(bool continueOnCapturedContext) =>
        new(_inner.ConfigureAwait(continueOnCapturedContext));

    /// <inheritdoc />
    public override readonly string ToString() => _inner.ToString();

    /// <summary>Awaits a <see cref="PromisePtr"/>, resuming on the captured context; the pointer keeps its reference.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
    {
        private readonly PromisePtr<VoidResult>.Awaiter _inner;

        internal Awaiter(PromisePtr<VoidResult>.Awaiter inner) => _inner = inner;

        /// <summary>Whether the operation has completed.</summary>
        /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
        public bool IsCompleted => _inner.IsCompleted;

        /// <summary>Rethrows the exception, if any; the pointer keeps its reference.</summary>
        /// <exception cref="ObjectDisposedException">The pointer was disposed while this await was pending.</exception>
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
        private readonly PromisePtr<VoidResult>.ConfiguredAwaitable _inner;

        internal ConfiguredAwaitable(PromisePtr<VoidResult>.ConfiguredAwaitable inner) => _inner = inner;

        /// <summary>Gets the configured awaiter.</summary>
        /// <returns>The awaiter.</returns>
        public Awaiter GetAwaiter() => new(_inner.GetAwaiter());

        /// <summary>Awaits a <see cref="PromisePtr"/> as configured; the pointer keeps its reference.</summary>
        public readonly struct Awaiter : ICriticalNotifyCompletion, IFrameAwaiter
        {
            private readonly PromisePtr<VoidResult>.ConfiguredAwaitable.Awaiter _inner;

            internal Awaiter(PromisePtr<VoidResult>.ConfiguredAwaitable.Awaiter inner) => _inner = inner;

            /// <summary>Whether the operation has completed.</summary>
            /// <exception cref="ObjectDisposedException">The pointer's reference was already released.</exception>
            public bool IsCompleted => _inner.IsCompleted;

            /// <summary>Rethrows the exception, if any; the pointer keeps its reference.</summary>
            /// <exception cref="ObjectDisposedException">The pointer was disposed while this await was pending.</exception>
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
