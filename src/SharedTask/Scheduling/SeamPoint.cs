namespace SharedTask.Scheduling;

/// <summary>The kinds of scheduling points the library reports through <see cref="SchedulingSeam"/>.</summary>
internal enum SeamPoint
{
    /// <summary>Before a read of a frame's state word (generation and count).</summary>
    FrameStateRead,

    /// <summary>Before an interlocked change of a frame's state word.</summary>
    FrameStateUpdate,

    /// <summary>Before a read of a frame's waiter slots (the primary waiter slot, the waiter list).</summary>
    WaiterSlotRead,

    /// <summary>Before a change of a frame's waiter slots (registration or completion).</summary>
    WaiterSlotUpdate,

    /// <summary>Before a read of a seat entry (a reference beyond the primary one).</summary>
    SeatRead,

    /// <summary>Before an interlocked change of a seat entry (claim, count, free).</summary>
    SeatUpdate,

    /// <summary>
    /// A completion published its outcome and is about to resume the waiters it took; the subject is the frame (which the
    /// completer no longer touches). Other threads may run here, as they may on real hardware.
    /// </summary>
    Resume,

    /// <summary>
    /// A thread waits for another thread's imminent write (a registrant between its claim and its slot write); an
    /// engine should let another logical thread run, or the wait never ends.
    /// </summary>
    SpinWait,

    /// <summary>After an object was taken from a pool; the subject is the rented object.</summary>
    PoolRent,

    /// <summary>Before an object goes back to its pool; the subject is the returned object.</summary>
    PoolReturn,

    /// <summary>Before a continuation is handed to another thread (thread pool, context, scheduler).</summary>
    HandOff,
}
