namespace SharedTask.Scheduling;

/// <summary>The kinds of scheduling points the library reports through <see cref="SchedulingSeam"/>.</summary>
internal enum SeamPoint
{
    /// <summary>Before a read of a frame's state word (generation and count).</summary>
    FrameStateRead,

    /// <summary>Before an interlocked change of a frame's state word.</summary>
    FrameStateUpdate,

    /// <summary>Before a read of a frame's waiter slot.</summary>
    WaiterSlotRead,

    /// <summary>Before an interlocked change of a frame's waiter slot (registration or completion).</summary>
    WaiterSlotUpdate,

    /// <summary>After an object was taken from a pool; the subject is the rented object.</summary>
    PoolRent,

    /// <summary>Before an object goes back to its pool; the subject is the returned object.</summary>
    PoolReturn,

    /// <summary>Before a continuation is handed to another thread (thread pool, context, scheduler).</summary>
    HandOff,
}
