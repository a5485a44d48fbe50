using System.Threading.Tasks.Sources;
using SharedTask.Pooling;

namespace SharedTask.Frames;

/// <summary>
/// Backs <see cref="SimpleTask{T}.AsValueTask"/> for an operation still running: a pooled waiter on the frame that
/// consumes the handle when the frame completes and exposes the outcome as an <see cref="IValueTaskSource{TResult}"/>.
/// </summary>
/// <remarks>
/// The ValueTask side follows .NET's own pooled sources: <see cref="ManualResetValueTaskSourceCore{TResult}"/> checks
/// the ValueTask's token on every call, so awaiting the ValueTask twice is the usual ValueTask misuse error.
/// </remarks>
internal sealed class ValueTaskSourceWaiter<T> : Waiter, IValueTaskSource<T>, IValueTaskSource, IPooledItem<ValueTaskSourceWaiter<T>>
{
    static ValueTaskSourceWaiter<T> IPooledItem<ValueTaskSourceWaiter<T>>.CreateForPool() => new();

    /// <summary>The ValueTask-facing state; reset when the adapter goes back to the pool.</summary>
    private ManualResetValueTaskSourceCore<T> _core;

    /// <summary>The consumed handle; set at rent, read once when the frame completes.</summary>
    private SimpleTask<T> _task;

    /// <summary>
    /// Consumes <paramref name="task"/> (pending) into this source; <paramref name="token"/> is the token the
    /// ValueTask must carry.
    /// </summary>
    internal static ValueTaskSourceWaiter<T> Start(SimpleTask<T> task, out short token)
    {
        ValueTaskSourceWaiter<T> waiter = Pool<ValueTaskSourceWaiter<T>>.Rent();
        waiter._task = task;
        token = waiter._core.Version;
        if (!task.TryRegister(waiter, continueOnCapturedContext: false))
        {
            // Completed meanwhile: read it now instead of waiting for a resumption that will never come.
            waiter.Run();
        }

        return waiter;
    }

    /// <summary>The frame completed: consume the handle and complete the ValueTask side.</summary>
    internal override void Run()
    {
        SimpleTask<T> task = _task;
        _task = default;
        T result;
        try
        {
            result = task.Consume();
        }
        catch (Exception exception)
        {
            _core.SetException(exception);
            return;
        }

        _core.SetResult(result);
    }

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Pool<ValueTaskSourceWaiter<T>>.Return(this);
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
