namespace SharedTask.Scheduling;

/// <summary>
/// What a controlled-scheduling test engine plugs into <see cref="SchedulingSeam"/>. Production code never has one.
/// </summary>
internal interface ISchedulingSeamObserver
{
    /// <summary>
    /// Called at every scheduling point on the calling thread; the engine may block here to let another logical
    /// thread run first.
    /// </summary>
    void OnPoint(SeamPoint point, object subject);

    /// <summary>
    /// Offered a continuation that would go to the thread pool. True: the engine runs it (as a new logical thread);
    /// false: it goes to the real thread pool.
    /// </summary>
    bool TryTakeHandOff(IThreadPoolWorkItem workItem);
}
