using System.Threading.Tasks.Sources;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// Backs <see cref="SimpleTask{T}.AsValueTask"/> for an operation still running: a pooled waiter on the frame that
/// consumes the handle when the frame completes and exposes the outcome as an <see cref="IValueTaskSource{TResult}"/>.
/// </summary>
/// <remarks>
/// <para>The ValueTask side follows <see cref="ManualResetValueTaskSourceCore{TResult}"/>'s contract: a read with another
/// token, or before completion, throws <see cref="InvalidOperationException"/> and leaves the source to its operation;
/// the one successful read returns the source to its pool, exactly once even if two threads read at the same time.</para>
/// <para>A ValueTask token is 16 bits. A source whose version would come round to a token it already gave out is not
/// returned to the pool, so a stale ValueTask can never read another operation's outcome.</para>
/// <para>Misuse of the ValueTask reaches only its own awaiter: an OnCompleted with a stale token, or a second
/// continuation, is scheduled to run at once (its GetResult then throws) instead of throwing into the caller's builder.</para>
/// </remarks>
internal sealed class ValueTaskSourceWaiter<T> : Waiter, IValueTaskSource<T>, IValueTaskSource, IPooledItem<ValueTaskSourceWaiter<T>>
{
    static ValueTaskSourceWaiter<T> IPooledItem<ValueTaskSourceWaiter<T>>.CreateForPool() => new();

    static bool IPooledItem<ValueTaskSourceWaiter<T>>.IsFrame => false;

    /// <summary>The ValueTask-facing state; reset when the source goes back to the pool.</summary>
    private ManualResetValueTaskSourceCore<T> _core;

    /// <summary>The consumed handle; set at start, taken once when the frame completes.</summary>
    private SimpleTask<T> _task;

    /// <summary>
    /// The version whose outcome was last claimed by a read (a version is a short; <see cref="int.MinValue"/> means none
    /// yet). A reader claims its token's version by compare-exchange, so exactly one read per version returns the source.
    /// </summary>
    private int _claimedVersion = int.MinValue;

    /// <summary>Consumes <paramref name="task"/> (pending) into a source; <paramref name="token"/> is the token the ValueTask must carry.</summary>
    internal static ValueTaskSourceWaiter<T> Start(SimpleTask<T> task, out short token)
    {
        ValueTaskSourceWaiter<T> source = Pool<ValueTaskSourceWaiter<T>>.Rent();
        source._task = task;
        token = source._core.Version;
        if (!task.TryRegisterInternal(source))
        {
            // Completed meanwhile (or the handle is misused): read it now; Run reports what it finds.
            source.Run();
        }

        return source;
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
        int claimed = Volatile.Read(ref _claimedVersion);
        if (token != _core.Version || claimed == token || _core.GetStatus(token) == ValueTaskSourceStatus.Pending
            || Interlocked.CompareExchange(ref _claimedVersion, token, claimed) != claimed)
        {
            // Another token, a second read, not completed, or another read won: report it without changing anything.
            return ThrowMisuse(token);
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();

            // A version that came round to 0 would reissue tokens already given out: retire the source instead.
            if (_core.Version != 0)
            {
                Pool<ValueTaskSourceWaiter<T>>.Return(this);
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (token == _core.Version)
        {
            try
            {
                _core.OnCompleted(continuation, state, token, flags);
                return;
            }
            catch (InvalidOperationException)
            {
                // A second continuation, or the source moved on between the check and the registration.
            }
        }

        SchedulingSeam.HandOffToThreadPool(new MisusedContinuation(continuation, state));
    }

    private T ThrowMisuse(short token)
    {
        if (token == _core.Version && _core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            throw new InvalidOperationException(
                "The ValueTask from SimpleTask.AsValueTask() has not completed; await it instead of reading its result.");
        }

        throw new InvalidOperationException(
            "The ValueTask from SimpleTask.AsValueTask() was already awaited or read. A ValueTask may be consumed once; " +
            "use AsTask() or a PromisePtr to read an outcome several times.");
    }

    /// <summary>A continuation the source refused (stale token, second awaiter), run on the thread pool so its GetResult throws.</summary>
    private sealed class MisusedContinuation(Action<object?> continuation, object? state) : IThreadPoolWorkItem
    {
        public void Execute() => continuation(state);
    }
}
