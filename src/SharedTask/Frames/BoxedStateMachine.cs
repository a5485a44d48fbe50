using System.Runtime.CompilerServices;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// The state machine of a builder whose task was read before its first suspension (code that drives the builder
/// itself; the compiler never does): its task is already a promise frame, so the state machine is boxed here once,
/// allocated, and its SetResult completes that promise. Not pooled: this path is rare by construction.
/// </summary>
internal sealed class BoxedStateMachine<TStateMachine> : Waiter
    where TStateMachine : IAsyncStateMachine
{
    private static readonly ContextCallback s_moveNext = static state => ((BoxedStateMachine<TStateMachine>)state!)._stateMachine.MoveNext();

    private TStateMachine _stateMachine;
    private ExecutionContext? _context;

    internal BoxedStateMachine(TStateMachine stateMachine)
    {
        _stateMachine = stateMachine;
        MoveNextAction = () => Trampoline.RunHere(this);
    }

    /// <summary>The delegate foreign awaiters get.</summary>
    internal Action MoveNextAction { get; }

    /// <summary>Captures the context the continuation must flow, at each suspension.</summary>
    internal void CaptureExecutionContext() => _context = ExecutionContext.Capture();

    internal override void Run()
    {
        if (_context is null)
        {
            _stateMachine.MoveNext();
        }
        else
        {
            ExecutionContext.Run(_context, s_moveNext, this);
        }
    }
}
