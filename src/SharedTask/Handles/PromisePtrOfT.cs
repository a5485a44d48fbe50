using System.Runtime.InteropServices;
using SharedTask.Diagnostics;

namespace SharedTask;

/// <summary>
/// A reference-counted smart pointer to a <see cref="SimpleTask{T}"/>'s frame, for storing a shared operation and
/// handing copies to other threads. It owns one reference from creation until <see cref="Dispose"/>; the frame goes
/// back to its pool when the last reference anywhere is released.
/// </summary>
/// <typeparam name="T">The type of the result.</typeparam>
/// <remarks>
/// <para>Unlike a <see cref="SimpleTask{T}"/>, awaiting a pointer does not release it: it may be awaited any number of
/// times while it is owned. Give every other owner its own <see cref="Copy"/>; each copy is disposed once.</para>
/// <para>This is a mutable struct, like a C++ smart pointer: <see cref="Dispose"/> and <see cref="ToSimpleTask"/> clear
/// the variable they are called on, so a second Dispose of the same variable does nothing. A plain assignment
/// (<c>var b = a;</c>) does not add a reference; use <see cref="Copy"/>.</para>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public struct PromisePtr<T> : IDisposable
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
    /// <exception cref="ObjectDisposedException">The pointer's frame was already released (misuse of a struct copy).</exception>
    public readonly bool IsCompleted => Owned.IsCompleted;

    /// <summary>Whether the operation completed with a result.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly bool IsCompletedSuccessfully => Owned.IsCompletedSuccessfully;

    /// <summary>Whether the operation completed with an exception other than <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly bool IsFaulted => Owned.IsFaulted;

    /// <summary>Whether the operation completed with an <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
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

    /// <summary>Returns a new pointer to the same frame, owning its own reference (count +1).</summary>
    /// <returns>The copy; dispose it once.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    /// <exception cref="ObjectDisposedException">The pointer's frame was already released.</exception>
    /// <exception cref="OverflowException">The frame already has the maximum number of references.</exception>
    public readonly PromisePtr<T> Copy() => new(Owned.Share());

    /// <summary>Returns a <see cref="SimpleTask{T}"/> owning a new reference (count +1), for an API that consumes one.</summary>
    /// <returns>A new owning handle.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly SimpleTask<T> ShareTask() => Owned.Share();

    /// <summary>
    /// Moves the reference out into a <see cref="SimpleTask{T}"/> (no count change); this pointer becomes null.
    /// </summary>
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
    public readonly SimpleTask<T>.Awaiter GetAwaiter() => new(Owned, continueOnCapturedContext: true, releaseOnResult: false);

    /// <summary>Configures whether the continuation resumes on the captured context.</summary>
    /// <param name="continueOnCapturedContext">True to resume on the captured context.</param>
    /// <returns>An awaitable that does not release the pointer.</returns>
    /// <exception cref="InvalidOperationException">The pointer is null.</exception>
    public readonly SimpleTask<T>.ConfiguredAwaitable ConfigureAwait(bool continueOnCapturedContext) =>
        new(Owned, continueOnCapturedContext, releaseOnResult: false);

    /// <inheritdoc />
    public override readonly string ToString() => _owned ? $"PromisePtr<{typeof(T).Name}>" : $"PromisePtr<{typeof(T).Name}>(null)";
}
