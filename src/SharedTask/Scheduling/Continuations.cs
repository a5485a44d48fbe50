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
    /// Resumes what completion took from a frame: <paramref name="first"/> (the primary handle's waiter, which registered
    /// before any other), then the list, whose registrations pushed at the head, reversed so that waiters resume in the
    /// order they registered.
    /// </summary>
    internal static void ResumeAll(Waiter? first, Waiter? lifoHead)
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

        if (fifoHead is not null)
        {
            Trampoline.Schedule(fifoHead, last!);
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
