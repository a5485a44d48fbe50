using SharedTask.Combinators.Adapters;

namespace SharedTask;

/// <summary>
/// Adapters from <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> and
/// <see cref="ValueTask{TResult}"/> to <see cref="SimpleTask{T}"/>, so an existing API's result can be shared: hand
/// out <c>Share()</c>s of the adapted handle, or move it into a <see cref="PromisePtr{T}"/>.
/// </summary>
/// <remarks>
/// A task that has already completed successfully becomes a SimpleTask holding its result (no frame, no allocation); a
/// failed or canceled one becomes a SimpleTask with its exception; a pending one gets a pooled frame that completes from
/// one continuation on the task. A ValueTask is consumed by its adapter (it must not be awaited again); a Task is not.
/// </remarks>
public static class SimpleTaskConversions
{
    /// <summary>Returns a <see cref="SimpleTask{T}"/> with the outcome of <paramref name="task"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task; it stays usable.</param>
    /// <returns>An owning handle: consume it once (await, Dispose, ToPromisePtr...).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public static SimpleTask<T> AsSimpleTask<T>(this Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new ValueTask<T>(task).AsSimpleTask();
    }

    /// <summary>Returns a <see cref="SimpleTask"/> with the outcome of <paramref name="task"/>.</summary>
    /// <param name="task">The task; it stays usable.</param>
    /// <returns>An owning handle: consume it once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public static SimpleTask AsSimpleTask(this Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new ValueTask(task).AsSimpleTask();
    }

    /// <summary>Returns a <see cref="SimpleTask{T}"/> with the outcome of <paramref name="task"/>, consuming it.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The value task; the adapter consumes it (do not await it again).</param>
    /// <returns>An owning handle: consume it once.</returns>
    public static SimpleTask<T> AsSimpleTask<T>(this ValueTask<T> task)
    {
        if (!task.IsCompleted)
        {
            return ValueTaskFrame<T>.Start(task);
        }

        try
        {
            // Reading it consumes it (a pooled IValueTaskSource behind it goes back to its pool); a failed one throws
            // what its await would throw, with its original stack trace.
            return new SimpleTask<T>(task.GetAwaiter().GetResult());
        }
        catch (Exception exception)
        {
            return SimpleTask.FromException<T>(exception);
        }
    }

    /// <summary>Returns a <see cref="SimpleTask"/> with the outcome of <paramref name="task"/>, consuming it.</summary>
    /// <param name="task">The value task; the adapter consumes it (do not await it again).</param>
    /// <returns>An owning handle: consume it once.</returns>
    public static SimpleTask AsSimpleTask(this ValueTask task)
    {
        if (!task.IsCompleted)
        {
            return ValueTaskFrame.Start(task);
        }

        try
        {
            task.GetAwaiter().GetResult();
            return SimpleTask.CompletedTask;
        }
        catch (Exception exception)
        {
            return SimpleTask.FromException(exception);
        }
    }
}
