using System.Runtime.CompilerServices;
using SharedTask.Pooling;

namespace SharedTask.Frames;

/// <summary>
/// The per-thread tier for async-method frames of one exact type, in front of the shared tier of their
/// <see cref="Pool{TItem}"/>.
/// </summary>
/// <remarks>
/// <see cref="Pool{TItem}"/> is instantiated over a class, so the JIT runs it as shared generic code: every rent and
/// return would pay generic-dictionary lookups, about a fifth of a suspend-and-resume in the benchmark's profile. This
/// class is instantiated over the state-machine struct, so its code is specialized for it.
/// </remarks>
internal static class StateMachineFrameCache<TStateMachine, T>
    where TStateMachine : IAsyncStateMachine
{
    /// <summary>This thread's idle frames; created at the first return if the pool allows a per-thread tier.</summary>
    [ThreadStatic]
    private static ThreadStack<StateMachineFrame<TStateMachine, T>>? t_stack;

    internal static StateMachineFrame<TStateMachine, T> Rent()
    {
        if (PoolScopes.Current is { } scope)
        {
            return scope.Rent<StateMachineFrame<TStateMachine, T>>();
        }

        if (t_stack is not { } stack || !stack.TryPop(out StateMachineFrame<TStateMachine, T>? frame))
        {
            frame = Pool<StateMachineFrame<TStateMachine, T>>.RentShared();
        }

        Pool<StateMachineFrame<TStateMachine, T>>.OnRented(frame);
        return frame;
    }

    internal static void Return(StateMachineFrame<TStateMachine, T> frame)
    {
        Pool<StateMachineFrame<TStateMachine, T>>.OnReturning(frame);
        ThreadStack<StateMachineFrame<TStateMachine, T>>? stack = t_stack ?? CreateThreadStack();
        if (stack is null || !stack.TryPush(frame))
        {
            Pool<StateMachineFrame<TStateMachine, T>>.ReturnShared(frame);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ThreadStack<StateMachineFrame<TStateMachine, T>>? CreateThreadStack()
    {
        int capacity = Pool<StateMachineFrame<TStateMachine, T>>.ThreadCapacity;
        return capacity == 0 ? null : t_stack = new ThreadStack<StateMachineFrame<TStateMachine, T>>(capacity);
    }
}
