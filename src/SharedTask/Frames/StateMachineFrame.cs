using System.Runtime.CompilerServices;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// The frame of a SimpleTask async method: the boxed state machine (its hoisted locals) plus the result. Rented on
/// the method's first real suspension from the pool of its exact state-machine type.
/// </summary>
/// <remarks>
/// References at activation: two, the running body and the handle the builder returns (as Chen's
/// <c>simple_task</c>). The body's reference is released last, after completion was published and every waiter was
/// handed off, because that release may recycle the frame.
/// </remarks>
internal sealed class StateMachineFrame<TStateMachine, T> : Frame<T>, IPooledItem<StateMachineFrame<TStateMachine, T>>
    where TStateMachine : IAsyncStateMachine
{
    static StateMachineFrame<TStateMachine, T> IPooledItem<StateMachineFrame<TStateMachine, T>>.CreateForPool() => new();

    private static readonly ContextCallback s_moveNext =
        static state => Unsafe.As<StateMachineFrame<TStateMachine, T>>(state!).StateMachine.MoveNext();

    /// <summary>
    /// The state machine. Copied in by the builder at the first suspension, run only by <see cref="Run"/> (one
    /// thread at a time: a frame waits for one thing at a time), cleared when the body completes so that a
    /// long-lived handle pins only the result.
    /// </summary>
    internal TStateMachine StateMachine = default!;

    /// <summary>The execution context captured at the latest suspension; null while pooled or flow is suppressed.</summary>
    private ExecutionContext? _context;

    /// <summary>The delegate foreign awaiters get; made once per frame object and kept across uses.</summary>
    private Action? _moveNextAction;

    internal Action MoveNextAction => _moveNextAction ??= ResumeFromForeignAwaiter;

    /// <summary>Rents a frame, starts a use with the body's and the returned handle's references, and returns it.</summary>
    internal static StateMachineFrame<TStateMachine, T> RentRunning(out uint generation)
    {
        StateMachineFrame<TStateMachine, T> frame = StateMachineFrameCache<TStateMachine, T>.Rent();
        generation = frame.Activate(references: 2);
        return frame;
    }

    /// <summary>Captures the context the continuation must flow, at each suspension (AsyncLocal may have changed).</summary>
    internal void CaptureExecutionContext() => _context = ExecutionContext.Capture();

    /// <summary>Resumes the state machine. Only ever called from a trampoline loop.</summary>
    internal override void Run()
    {
        ExecutionContext? context = _context;
        if (context is null)
        {
            StateMachine.MoveNext();
        }
        else
        {
            ExecutionContext.Run(context, s_moveNext, this);
        }

        // Nothing may touch this frame here: the body may have completed and released it, and the frame may already
        // run another operation on another thread.
    }

    private void ResumeFromForeignAwaiter() => Trampoline.Schedule(this);

    private protected override void ClearFrameUse()
    {
        StateMachine = default!;
        _context = null;
    }

    private protected override void ReturnToPool() => StateMachineFrameCache<TStateMachine, T>.Return(this);
}
