using System.Runtime.CompilerServices;
using SharedTask.Frames;

namespace SharedTask.Scheduling;

/// <summary>Where and how a waiter resumes: on this thread's trampoline, or posted to the context it captured.</summary>
internal static class Continuations
{
    private static readonly SendOrPostCallback s_runPosted = static state => Trampoline.Schedule((Waiter)state!);
    private static readonly Action<object?> s_runScheduled = static state => Trampoline.Schedule((Waiter)state!);

    /// <summary>An inline context no waiter wants: nothing runs inline (too little stack; asynchronous resumption).</summary>
    private static readonly object s_nowhere = new();

    /// <summary>
    /// The <see cref="Waiter.ResumeContext"/> of a waiter that runs wherever it is resumed: one already sent to another
    /// thread or context (which may run what it is posted on any thread), or one of the library's own waiters (a
    /// SingleFlight, AsTask's or AsValueTask's bridge), which only hand the outcome on to receivers that apply Task's
    /// rules themselves, as Task's internal completion actions do.
    /// </summary>
    internal static readonly object Anywhere = new();

    /// <summary>
    /// The context ConfigureAwait(true) resumes on: a non-default <see cref="SynchronizationContext"/>, else a
    /// non-default <see cref="TaskScheduler"/>, else null (resume wherever the completion happens). Task's capture rule.
    /// </summary>
    internal static object? CaptureResumeContext()
    {
        SynchronizationContext? context = SynchronizationContext.Current;
        if (context is not null && context.GetType() != typeof(SynchronizationContext))
        {
            return context;
        }

        TaskScheduler scheduler = TaskScheduler.Current;
        return scheduler == TaskScheduler.Default ? null : scheduler;
    }

    /// <summary>
    /// Where a waiter may run inline on this thread, as Task decides it: a waiter runs here only if the context it wants
    /// (null: none) is the one current here, and enough stack is left. So a waiter with no captured context, every
    /// ConfigureAwait(false) waiter included, never runs under a non-default SynchronizationContext or TaskScheduler:
    /// it goes to the thread pool, as Task's continuations do. A loop reads this once, when it starts.
    /// </summary>
    internal static object? InlineContextHere() =>
        RuntimeHelpers.TryEnsureSufficientExecutionStack() ? CaptureResumeContext() : s_nowhere;

    /// <summary>
    /// Resumes what completion took from a frame: <paramref name="first"/> (the primary handle's waiter, which registered
    /// before any other), then the list, whose registrations pushed at the head, reversed so that waiters resume in the
    /// order they registered. On this thread's trampoline; or, <paramref name="asynchronously"/> (a completion source
    /// created with RunContinuationsAsynchronously), each on the thread pool or its captured context, never here.
    /// </summary>
    internal static void ResumeAll(Waiter? first, Waiter? lifoHead, bool asynchronously)
    {
        Waiter? fifoHead = null;
        Waiter? last = null;
        for (Waiter? node = lifoHead; node is not null;)
        {
            Waiter? next = node.Next;
            node.Next = fifoHead;
            fifoHead = node;
            last ??= node;
            node = next;
        }

        if (first is not null)
        {
            first.Next = fifoHead;
            fifoHead = first;
            last ??= first;
        }

        if (fifoHead is null)
        {
            return;
        }

        if (!asynchronously)
        {
            Trampoline.Schedule(fifoHead, last!);
            return;
        }

        for (Waiter? node = fifoHead; node is not null;)
        {
            Waiter? next = node.Next;
            node.Next = null;
            Invoke(node, s_nowhere);
            node = next;
        }
    }

    /// <summary>
    /// Schedules a foreign continuation whose registration lost the race with completion. It goes to the thread pool
    /// unless a trampoline loop runs here: running it inline would re-enter the foreign caller's OnCompleted.
    /// </summary>
    internal static void ScheduleForeignAfterLostRace(Waiter waiter)
    {
        if (waiter.ResumeContext is null && Trampoline.IsDrainingOnThisThread)
        {
            Trampoline.Schedule(waiter);
        }
        else
        {
            Invoke(waiter, s_nowhere);
        }
    }

    /// <summary>
    /// Runs a dequeued waiter here if it wants <paramref name="inlineContext"/> (see <see cref="InlineContextHere"/>) or
    /// was sent here; otherwise sends it to the context it captured, or to the thread pool if it captured none.
    /// </summary>
    internal static void Invoke(Waiter waiter, object? inlineContext)
    {
        object? context = waiter.ResumeContext;
        if (ReferenceEquals(context, inlineContext) || ReferenceEquals(context, Anywhere))
        {
            waiter.ResumeContext = null;
            waiter.Run();
            return;
        }

        waiter.ResumeContext = Anywhere;
        if (context is null)
        {
            SchedulingSeam.HandOffToThreadPool(waiter);
            return;
        }

        SchedulingSeam.Point(SeamPoint.HandOff, waiter);
        try
        {
            if (context is SynchronizationContext synchronizationContext)
            {
                synchronizationContext.Post(s_runPosted, waiter);
            }
            else
            {
                _ = Task.Factory.StartNew(
                    s_runScheduled, waiter, CancellationToken.None, TaskCreationOptions.DenyChildAttach, (TaskScheduler)context);
            }
        }
        catch
        {
            // The context refused the continuation. It still runs (on the thread pool), so that its await completes and
            // its reference is released; the refusal reaches whoever completed the operation, as a throwing
            // continuation's exception does.
            SchedulingSeam.HandOffToThreadPool(waiter);
            throw;
        }
    }
}
