namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// One thread of a scenario as the scheduler sees it. It runs on a <see cref="WorkerThread"/> and only while it holds
/// the baton; every field is written by whichever thread holds the baton, and the baton's hand-over (a semaphore) orders
/// those writes.
/// </summary>
internal sealed class LogicalThread(ControlledScheduler scheduler, int id, string name, Action body, WorkerThread worker)
{
    internal ControlledScheduler Scheduler { get; } = scheduler;

    /// <summary>Position in the iteration's creation order: the name a schedule string uses.</summary>
    internal int Id { get; } = id;

    internal string Name { get; } = name;

    internal Action Body { get; } = body;

    /// <summary>The real thread hosting this logical thread for its whole life.</summary>
    internal WorkerThread Worker { get; } = worker;

    internal bool Finished { get; set; }

    /// <summary>Set while the thread waits in <see cref="ControlledScheduler.WaitUntil"/>: it may run only once this holds.</summary>
    internal Func<bool>? BlockedUntil { get; set; }

    /// <summary>What the thread waits for, for deadlock reports.</summary>
    internal string? BlockedOn { get; set; }

    /// <summary>The step number and the operation this thread announced last: what it does when it next runs.</summary>
    internal int PendingStep { get; set; }

    internal string? PendingPoint { get; set; }

    internal object? PendingSubject { get; set; }

    /// <summary>Whether this thread's last scheduling point was a spin wait (its next step is not progress).</summary>
    internal bool LastPointWasSpin { get; set; }

    internal bool IsRunnable => !Finished && (BlockedUntil is null || BlockedUntil());

    public override string ToString() => $"t{Id}({Name})";
}
