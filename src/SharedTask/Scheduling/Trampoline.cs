using System.Runtime.ExceptionServices;
using SharedTask.Frames;

namespace SharedTask.Scheduling;

/// <summary>
/// A per-thread run loop for continuations. A continuation resumed while this thread is already running one is
/// queued, and the outermost loop runs it after the current one returns. Stack depth therefore stays constant
/// however long an await chain is (the role symmetric transfer plays in C++), and a completion with many waiters
/// resumes them all on this thread instead of sending all but one to the thread pool.
/// </summary>
/// <remarks>
/// The cost of the design: a continuation queued here runs after the code that resumed it returns. Code that
/// completes a SimpleTask from inside a continuation and then blocks this thread waiting for that task's awaiters
/// would wait forever; do not block inside continuations.
/// </remarks>
internal sealed class Trampoline
{
    [ThreadStatic]
    private static Trampoline? t_current;

    /// <summary>Queue head and tail, linked through <see cref="Waiter.Next"/>; touched only by the owning thread.</summary>
    private Waiter? _head;
    private Waiter? _tail;

    /// <summary>True while this thread is inside <see cref="Drain"/>.</summary>
    private bool _draining;

    /// <summary>Whether this thread is inside a trampoline loop (a continuation scheduled now would be queued).</summary>
    internal static bool IsDrainingOnThisThread => t_current is { _draining: true };

    /// <summary>
    /// Runs <paramref name="waiter"/> on this thread whatever context is current: for a waiter resumed by something that
    /// already chose the place (a foreign awaiter such as Task's, or the library itself). Queued if a loop is running
    /// here, else run in a new loop.
    /// </summary>
    internal static void RunHere(Waiter waiter)
    {
        waiter.ResumeContext = Continuations.Anywhere;
        Schedule(waiter);
    }

    /// <summary>
    /// Resumes <paramref name="waiter"/> from this thread by the rules of <see cref="Continuations.Invoke"/>: here (queued
    /// if a loop is running here, else in a new loop) if Task would run it here, else where it belongs.
    /// </summary>
    internal static void Schedule(Waiter waiter)
    {
        // A single waiter is a chain of one: whatever link it carries belongs to nobody now.
        waiter.Next = null;
        Schedule(waiter, waiter);
    }

    /// <summary>
    /// Queues the chain <paramref name="first"/>..<paramref name="last"/> (linked through <see cref="Waiter.Next"/>)
    /// and, unless a loop is already running on this thread, runs the loop until the queue is empty.
    /// </summary>
    internal static void Schedule(Waiter first, Waiter last)
    {
        Trampoline trampoline = t_current ??= new Trampoline();
        if (trampoline._tail is null)
        {
            trampoline._head = first;
        }
        else
        {
            trampoline._tail.Next = first;
        }

        trampoline._tail = last;
        if (!trampoline._draining)
        {
            trampoline.Drain();
        }
    }

    private void Drain()
    {
        _draining = true;
        object? inlineContext = Continuations.InlineContextHere();
        List<ExceptionDispatchInfo>? errors = null;
        try
        {
            while (_head is { } waiter)
            {
                // Read the link and detach the node before running it (DESIGN.md, rule 4). The continuation may register
                // this node elsewhere, or release the last reference to the frame whose list it came from.
                _head = waiter.Next;
                if (_head is null)
                {
                    _tail = null;
                }

                waiter.Next = null;
                try
                {
                    Continuations.Invoke(waiter, inlineContext);
                }
                catch (Exception exception)
                {
                    // One continuation's exception must not strand the rest of the queue.
                    (errors ??= []).Add(ExceptionDispatchInfo.Capture(exception));
                }
            }
        }
        finally
        {
            _draining = false;
        }

        if (errors is not null)
        {
            ThrowCollected(errors);
        }
    }

    /// <summary>Surfaces continuation exceptions to whoever started the loop: one as itself, several aggregated.</summary>
    private static void ThrowCollected(List<ExceptionDispatchInfo> errors)
    {
        if (errors.Count == 1)
        {
            errors[0].Throw();
        }

        throw new AggregateException(
            "Several continuations of a SimpleTask threw; every continuation still ran.",
            errors.Select(static e => e.SourceException));
    }
}
