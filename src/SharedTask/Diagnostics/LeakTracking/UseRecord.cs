using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace SharedTask.Diagnostics.LeakTracking;

/// <summary>
/// What leak tracking remembers about one frame use: the frame, the generation of the use, and the stack that started
/// it. Held only by the weak table entry of its frame, so it becomes unreachable together with the frame, and its
/// finalizer is the moment to look at how the frame died.
/// </summary>
/// <remarks>
/// The record refers to its frame strongly. That does not keep the frame alive (a weak table's value does not root
/// its key), but it does keep the dead frame's fields readable until this finalizer has run.
/// </remarks>
internal sealed class UseRecord
{
    private readonly ITrackedFrame _frame;
    private readonly uint _generation;
    private readonly StackTrace _creationStackTrace;

    internal UseRecord(ITrackedFrame frame, uint generation, StackTrace creationStackTrace)
    {
        _frame = frame;
        _generation = generation;
        _creationStackTrace = creationStackTrace;
    }

    /// <summary>The use ended properly: nothing to check when the frame dies, so skip the finalizer.</summary>
    [SuppressMessage(
        "Usage",
        "CA1816:Dispose methods should call SuppressFinalize",
        Justification = "A record is not disposable; its finalizer is only needed while its use is live.")]
    internal void Dismiss() => GC.SuppressFinalize(this);

    ~UseRecord() => LeakTracker.OnFrameCollected(_frame, _generation, _creationStackTrace);
}
