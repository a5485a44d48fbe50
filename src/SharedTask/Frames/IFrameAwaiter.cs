using SharedTask.Scheduling;

namespace SharedTask.Frames;

/// <summary>
/// Implemented by SharedTask's own awaiters so that a SimpleTask method awaiting them links its frame straight into
/// the awaited frame's waiter list instead of allocating a delegate or node.
/// </summary>
internal interface IFrameAwaiter
{
    /// <summary>
    /// Links <paramref name="waiter"/> into the awaited frame's list. False when the frame completed first: the caller
    /// must then schedule the waiter itself (nobody else will).
    /// </summary>
    bool TryRegister(Waiter waiter);
}
