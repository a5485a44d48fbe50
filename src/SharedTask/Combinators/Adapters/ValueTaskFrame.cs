using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Pooling;

namespace SharedTask.Combinators.Adapters;

/// <summary>The frame standing for a pending <see cref="Task"/> or <see cref="ValueTask"/> (held as a ValueTask).</summary>
internal sealed class ValueTaskFrame : AwaitedTaskFrame<VoidResult>, IPooledItem<ValueTaskFrame>
{
    static ValueTaskFrame IPooledItem<ValueTaskFrame>.CreateForPool() => new();

    static bool IPooledItem<ValueTaskFrame>.IsFrame => true;

    /// <summary>The awaited task: set at start, taken (and consumed) once by the continuation.</summary>
    private ValueTask _awaited;

    /// <summary>Returns a SimpleTask completing with <paramref name="awaited"/>'s outcome; it consumes the ValueTask.</summary>
    internal static SimpleTask Start(ValueTask awaited)
    {
        ValueTaskFrame frame = Pool<ValueTaskFrame>.Rent();
        frame._awaited = awaited;
        return new SimpleTask(frame.StartUse());
    }

    private protected override void RegisterOnAwaited(Action continuation) =>
        _awaited.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(continuation);

    private protected override VoidResult TakeResult()
    {
        ValueTask awaited = _awaited;
        _awaited = default;
        awaited.GetAwaiter().GetResult();
        return default;
    }

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        _awaited = default;
    }

    private protected override void ReturnToPool() => Pool<ValueTaskFrame>.Return(this);

    internal override string Describe() => "SimpleTask adapting a Task or ValueTask";
}
