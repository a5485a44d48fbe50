using System.Runtime.CompilerServices;

namespace SharedTask.Scheduling;

/// <summary>
/// The seam through which tests/Concurrency schedules the library's shared-state operations. Every interlocked or
/// volatile access to a frame's state word or waiter slot, every pool rent and return, and every hand-off of a
/// continuation to another thread calls in here first.
/// </summary>
/// <remarks>
/// Free in production: <see cref="IsEnabled"/> is a static readonly field read from an AppContext switch when this
/// class initializes, so the tiered JIT compiles it as a constant and removes every call site's body. A test process
/// turns it on by setting the switch before any SharedTask type is used (a module initializer). The compiled library
/// is the same one that ships.
/// </remarks>
internal static class SchedulingSeam
{
    /// <summary>The AppContext switch that turns the seam on.</summary>
    internal const string SwitchName = "SharedTask.Testing.EnableSchedulingSeam";

    /// <summary>Whether the seam reports anything in this process; fixed at first use.</summary>
#if SHAREDTASK_NO_SEAM
    internal static readonly bool IsEnabled;
#else
    internal static readonly bool IsEnabled = AppContext.TryGetSwitch(SwitchName, out bool enabled) && enabled;
#endif

    private static ISchedulingSeamObserver? s_observer;

    /// <summary>The engine that receives the points; settable only in a process that enabled the seam.</summary>
    internal static ISchedulingSeamObserver? Observer
    {
        get => s_observer;
        set
        {
            if (!IsEnabled)
            {
                throw new InvalidOperationException(
                    $"Set the AppContext switch '{SwitchName}' before SharedTask is first used to observe its scheduling points.");
            }

            Volatile.Write(ref s_observer, value);
        }
    }

    /// <summary>Reports a scheduling point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Point(SeamPoint point, object subject)
    {
        if (IsEnabled)
        {
            Volatile.Read(ref s_observer)?.OnPoint(point, subject);
        }
    }

    /// <summary>Hands a continuation to another thread: the engine under test, the thread pool otherwise.</summary>
    internal static void HandOffToThreadPool(IThreadPoolWorkItem workItem)
    {
        if (IsEnabled && Volatile.Read(ref s_observer) is { } observer)
        {
            observer.OnPoint(SeamPoint.HandOff, workItem);
            if (observer.TryTakeHandOff(workItem))
            {
                return;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(workItem, preferLocal: false);
    }
}
