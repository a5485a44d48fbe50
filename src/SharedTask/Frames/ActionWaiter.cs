using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// A pooled list node for a continuation that is not a SimpleTask frame: an <see cref="Action"/> given to
/// OnCompleted/UnsafeOnCompleted by Task-based async methods, by ValueTask's machinery or by hand.
/// </summary>
internal sealed class ActionWaiter : Waiter, IPooledItem<ActionWaiter>
{
    static ActionWaiter IPooledItem<ActionWaiter>.CreateForPool() => new();

    static bool IPooledItem<ActionWaiter>.IsFrame => false;

    private static readonly ContextCallback s_invoke = static state => ((Action)state!)();

    /// <summary>The continuation; set at rent, cleared before it runs.</summary>
    private Action? _action;

    /// <summary>The execution context to run under (OnCompleted flows it; UnsafeOnCompleted does not), or null.</summary>
    private ExecutionContext? _context;

    internal static ActionWaiter Rent(Action action, bool flowExecutionContext)
    {
        ActionWaiter waiter = Pool<ActionWaiter>.Rent();
        waiter._action = action;
        waiter._context = flowExecutionContext ? ExecutionContext.Capture() : null;
        return waiter;
    }

    internal override void Run()
    {
        Action action = _action!;
        ExecutionContext? context = _context;
        _action = null;
        _context = null;

        // Back to the pool before running: the node's fields were read, and the action may take a long time.
        Pool<ActionWaiter>.Return(this);

        if (context is null)
        {
            action();
        }
        else
        {
            ExecutionContext.Run(context, s_invoke, action);
        }
    }
}
