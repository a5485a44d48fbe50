using SharedTask.Diagnostics;
using SharedTask.Pooling;

namespace SharedTask.Combinators.Adapters;

/// <summary>The frame standing for a pending <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/> (held as a ValueTask).</summary>
internal sealed class ValueTaskFrame<T> : AwaitedTaskFrame<T>, IPooledItem<ValueTaskFrame<T>>
{
    static ValueTaskFrame<T> IPooledItem<ValueTaskFrame<T>>.CreateForPool() => new();

    static bool IPooledItem<ValueTaskFrame<T>>.IsFrame => true;

    /// <summary>The awaited task: set at start, taken (and consumed) once by the continuation.</summary>
    private ValueTask<T> _awaited;

    /// <summary>Returns a SimpleTask completing with <paramref name="awaited"/>'s outcome; it consumes the ValueTask.</summary>
    internal static SimpleTask<T> Start(ValueTask<T> awaited)
    {
        ValueTaskFrame<T> frame = Pool<ValueTaskFrame<T>>.Rent();
        frame._awaited = awaited;
        return frame.StartUse();
    }

    private protected override void RegisterOnAwaited(Action continuation) =>
        _awaited.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(continuation);

    private protected override T TakeResult()
    {
        ValueTask<T> awaited = _awaited;
        _awaited = default;
        return awaited.GetAwaiter().GetResult();
    }

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        _awaited = default;
    }

    private protected override void ReturnToPool() => Pool<ValueTaskFrame<T>>.Return(this);

    internal override string Describe() => $"{DisplayNames.Result<T>()} adapting a Task or ValueTask";
}
