namespace SharedTask.Scheduling;

/// <summary>
/// What a trampoline runs, and what waits in a frame's waiter list: another frame (a SimpleTask method awaiting a
/// SimpleTask is its own list node, so that await allocates nothing), a pooled node holding a foreign continuation
/// (Frames.ActionWaiter), or one of the library's own bridges.
/// </summary>
internal abstract class Waiter : IThreadPoolWorkItem
{
    /// <summary>
    /// The intrusive link. Written by the registering thread before the CAS that publishes the node into a frame's
    /// waiter list; after completion takes the list, by the completing thread to link the node into its trampoline
    /// queue; cleared by the trampoline before the node runs. Null whenever the node is in neither.
    /// </summary>
    internal Waiter? Next;

    /// <summary>
    /// Where to resume: a <see cref="SynchronizationContext"/> or <see cref="TaskScheduler"/> captured at registration
    /// (ConfigureAwait(true)); null to run inline on a completing thread that has no context of its own (else on the
    /// thread pool); or <see cref="Continuations.Anywhere"/> to run wherever it is resumed (a library waiter, or one
    /// already sent to its context or the thread pool). See <see cref="Continuations.Invoke"/>.
    /// </summary>
    internal object? ResumeContext;

    /// <summary>Runs the continuation on the current thread, inside a trampoline loop.</summary>
    internal abstract void Run();

    /// <summary>Thread-pool entry: the node runs inside a fresh trampoline loop on the pool thread.</summary>
    void IThreadPoolWorkItem.Execute() => Trampoline.Schedule(this);
}
