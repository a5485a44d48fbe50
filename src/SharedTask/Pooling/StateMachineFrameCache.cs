using System.Runtime.CompilerServices;
using SharedTask.Frames;

namespace SharedTask.Pooling;

/// <summary>
/// Idle frames of one exact async-method frame type, kept per thread in front of its <see cref="Pool{TItem}"/> when
/// the default provider is in use.
/// </summary>
/// <remarks>
/// <see cref="Pool{TItem}"/> is instantiated over a class, so the JIT runs it as shared generic code: every rent and
/// return pays generic-dictionary lookups, a virtual call into the <c>ObjectPool</c> and array store checks, about a
/// fifth of a suspend-and-resume in the benchmark's profile. This class is instantiated over the state-machine
/// struct, so its code is specialized for it, and its array's element type is sealed (no store check). A frame that
/// does not fit here goes on to the pool, whose own per-thread tier and shared tier take it.
/// </remarks>
internal static class StateMachineFrameCache<TStateMachine, T>
    where TStateMachine : IAsyncStateMachine
{
    /// <summary>This thread's idle frames; created at the first return if the pool allows a thread cache.</summary>
    [ThreadStatic]
    private static StateMachineFrame<TStateMachine, T>?[]? t_items;

    /// <summary>How many entries of <see cref="t_items"/> hold a frame.</summary>
    [ThreadStatic]
    private static int t_count;

    internal static StateMachineFrame<TStateMachine, T> Rent()
    {
        StateMachineFrame<TStateMachine, T>?[]? items = t_items;
        int top = t_count - 1;
        if (items is not null && (uint)top < (uint)items.Length)
        {
            StateMachineFrame<TStateMachine, T> frame = items[top]!;
            items[top] = null;
            t_count = top;
            Pool<StateMachineFrame<TStateMachine, T>>.OnRented(frame);
            return frame;
        }

        return Pool<StateMachineFrame<TStateMachine, T>>.Rent();
    }

    internal static void Return(StateMachineFrame<TStateMachine, T> frame)
    {
        StateMachineFrame<TStateMachine, T>?[]? items = t_items ?? CreateItems();
        int count = t_count;
        if (items is not null && (uint)count < (uint)items.Length)
        {
            Pool<StateMachineFrame<TStateMachine, T>>.OnReturning(frame);
            items[count] = frame;
            t_count = count + 1;
            return;
        }

        Pool<StateMachineFrame<TStateMachine, T>>.Return(frame);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StateMachineFrame<TStateMachine, T>?[]? CreateItems()
    {
        int capacity = Pool<StateMachineFrame<TStateMachine, T>>.ThreadCacheCapacity;
        return capacity == 0 ? null : t_items = new StateMachineFrame<TStateMachine, T>?[capacity];
    }
}
