using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// The frame of a SimpleTask async method: the boxed state machine (its hoisted locals) plus the result. Rented on
/// the method's first real suspension from the pool of its exact state-machine type.
/// </summary>
/// <remarks>
/// A use starts with two holders, as Chen's <c>simple_task</c>: the running body (the owner pin) and the handle the
/// builder returns (the primary pin). The body's pin goes in the same step that publishes the outcome, and no handle
/// can release it: a misused handle cannot end the use under a method that still runs.
/// </remarks>
internal sealed class StateMachineFrame<TStateMachine, T> : Frame<T>, IPooledItem<StateMachineFrame<TStateMachine, T>>
    where TStateMachine : IAsyncStateMachine
{
    static StateMachineFrame<TStateMachine, T> IPooledItem<StateMachineFrame<TStateMachine, T>>.CreateForPool() => new();

    static bool IPooledItem<StateMachineFrame<TStateMachine, T>>.IsFrame => true;

    private static readonly ContextCallback s_moveNext =
        static state => Unsafe.As<StateMachineFrame<TStateMachine, T>>(state!).StateMachine.MoveNext();

    /// <summary>
    /// The state machine. Copied in by the builder at the first suspension, run only by <see cref="Run"/> (one thread
    /// at a time: a frame waits for one thing at a time), cleared when the body completes so that a long-lived handle
    /// pins only the result.
    /// </summary>
    internal TStateMachine StateMachine = default!;

    /// <summary>The execution context captured at the latest suspension; null while pooled or when flow is suppressed.</summary>
    private ExecutionContext? _context;

    /// <summary>The delegate foreign awaiters get; made once per frame object and kept across uses.</summary>
    private Action? _moveNextAction;

    internal Action MoveNextAction => _moveNextAction ??= ResumeFromForeignAwaiter;

    /// <summary>Rents a frame and starts a use held by the running body and the handle the builder will return.</summary>
    internal static StateMachineFrame<TStateMachine, T> RentRunning(out uint generation)
    {
        StateMachineFrame<TStateMachine, T> frame = StateMachineFrameCache<TStateMachine, T>.Rent();
        generation = frame.Activate(FrameState.OwnerPin | FrameState.PrimaryPin);
        return frame;
    }

    /// <summary>Captures the context the continuation must flow, at each suspension (AsyncLocal may have changed).</summary>
    internal void CaptureExecutionContext() => _context = ExecutionContext.Capture();

    /// <summary>
    /// The body completed: drops what it kept (its state machine), publishes the outcome and releases the body's pin in
    /// the same step, and resumes the waiters. False if the body's pin is gone (a second completion of the builder).
    /// </summary>
    internal override bool TryCompleteAsBuilder(uint generation, T result, ExceptionDispatchInfo? error)
    {
        if (IsPinReleased(generation, FrameState.OwnerPin))
        {
            return false;
        }

        // The builder calling this lives inside the state machine being cleared; the compiler-generated MoveNext reads
        // nothing after SetResult/SetException returns.
        StateMachine = default!;
        _context = null;
        Complete(result, error, FrameState.OwnerPin);
        return true;
    }

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

        // Nothing may touch this frame here: the body may have completed and ended its use, and the frame may already
        // run another operation on another thread.
    }

    private void ResumeFromForeignAwaiter() => Trampoline.RunHere(this);

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        StateMachine = default!;
        _context = null;
    }

    private protected override void ReturnToPool() => StateMachineFrameCache<TStateMachine, T>.Return(this);

    internal override string Describe() => $"{DisplayNames.Result<T>()} of async method {DisplayNames.AsyncMethod(typeof(TStateMachine))}";
}
