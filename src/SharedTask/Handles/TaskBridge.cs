using System.Runtime.ExceptionServices;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// The waiter behind <see cref="SimpleTask{T}.AsTask"/>: consumes the handle when the operation completes and gives its
/// outcome to a <see cref="Task{TResult}"/>, every exception included when it faulted with several.
/// </summary>
internal sealed class TaskBridge<T> : Waiter
{
    private readonly TaskCompletionSource<T> _source = new();
    private readonly SimpleTask<T> _task;

    private TaskBridge(SimpleTask<T> task) => _task = task;

    /// <summary>Consumes <paramref name="task"/> (which has a frame) into a Task with its outcome.</summary>
    internal static Task<T> Start(SimpleTask<T> task)
    {
        TaskBridge<T> bridge = new(task);
        if (!task.TryRegisterInternal(bridge))
        {
            // Completed already, or a misused handle: reading now gives the outcome or the misuse.
            bridge.Run();
        }

        return bridge._source.Task;
    }

    internal override void Run()
    {
        ExceptionDispatchInfo? error;
        T result;
        Exception[]? faults;
        try
        {
            error = _task.ConsumeOutcome(out result, out faults);
        }
        catch (Exception misuse)
        {
            // The handle was misused (a stale or already-consumed copy): the task reports it, as awaiting it would.
            _source.SetException(misuse);
            return;
        }

        if (error is null)
        {
            _source.SetResult(result);
        }
        else if (faults is not null)
        {
            _source.SetException(faults);
        }
        else if (error.SourceException is OperationCanceledException canceled)
        {
            _source.SetCanceled(canceled.CancellationToken);
        }
        else
        {
            _source.SetException(error.SourceException);
        }
    }
}
