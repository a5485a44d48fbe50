using SharedTask.Frames;

namespace SharedTask.Scheduling;

/// <summary>Where and how a waiter resumes: on this thread's trampoline, or posted to the context it captured.</summary>
internal static class Continuations
{
    private static readonly SendOrPostCallback s_runPosted = static state => Trampoline.Schedule((Waiter)state!);
    private static readonly Action<object?> s_runScheduled = static state => Trampoline.Schedule((Waiter)state!);

    /// <summary>
    /// The context ConfigureAwait(true) resumes on: a non-default <see cref="SynchronizationContext"/>, else a
    /// non-default <see cref="TaskScheduler"/>, else null (resume wherever the completion happens).
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
    /// Resumes a list taken from a completed frame. Registration pushes at the head, so the list is reversed first
    /// and waiters resume in the order they registered.
    /// </summary>
    internal static void ResumeAll(Waiter lifoHead)
    {
        Waiter last = lifoHead;
        Waiter? fifoHead = null;
        Waiter? node = lifoHead;
        while (node is not null)
        {
            Waiter? next = node.Next;
            node.Next = fifoHead;
            fifoHead = node;
            node = next;
        }

        Trampoline.Schedule(fifoHead!, last);
    }

    /// <summary>
    /// Schedules a frame whose registration lost the race with completion. Nobody else will resume it; it runs on this
    /// thread's trampoline (queued if a loop is running, so the state machine is never re-entered).
    /// </summary>
    internal static void ScheduleAfterLostRace(Waiter frame) => Trampoline.Schedule(frame);

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
            SchedulingSeam.HandOffToThreadPool(waiter);
        }
    }

    /// <summary>Runs a dequeued waiter: here, or by posting it to its captured context.</summary>
    internal static void Invoke(Waiter waiter)
    {
        object? context = waiter.ResumeContext;
        if (context is null)
        {
            waiter.Run();
            return;
        }

        waiter.ResumeContext = null;
        SchedulingSeam.Point(SeamPoint.HandOff, waiter);
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
}
