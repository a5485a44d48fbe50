using Microsoft.Coyote.Logging;
using Microsoft.Coyote.Runtime;
using SharedTask.Scheduling;
using ControlledTask = Microsoft.Coyote.Rewriting.Types.Threading.Tasks.Task;

namespace SharedTask.Testing.Coyote;

/// <summary>
/// What <see cref="SharedTaskCoyote.Connect"/> plugs into SharedTask's seam: a Coyote scheduling point before every
/// shared-state operation, and a controlled task for every continuation SharedTask would send to the thread pool.
/// Every seam point is treated alike, so new kinds of points need nothing here.
/// </summary>
internal sealed class CoyoteSchedulingObserver : ISchedulingSeamObserver
{
    internal static readonly CoyoteSchedulingObserver Instance = new();

    private CoyoteSchedulingObserver()
    {
    }

    /// <summary>
    /// A scheduling point: Coyote may run another operation before this one performs the announced step. The point is
    /// logged first, so a failing iteration's readable trace shows SharedTask's steps between the test's own.
    /// </summary>
    public void OnPoint(SeamPoint point, object subject)
    {
        if (IsCoyoteControlledThread())
        {
            RuntimeProvider.Current.Logger.WriteLine(LogSeverity.Info, "[sharedtask] {0} {1}", point, DescribeSubject(subject));
            if (point == SeamPoint.SpinWait)
            {
                // A wait for another operation's imminent write: yield, so an unfair strategy lets the writer run.
                SchedulingPoint.Yield();
            }
            else
            {
                SchedulingPoint.Interleave();
            }
        }
    }

    /// <summary>
    /// On a thread Coyote controls, the continuation becomes a controlled task (its own operation, explored and replayed
    /// like any other); elsewhere it goes to the thread pool as in production.
    /// </summary>
    public bool TryTakeHandOff(IThreadPoolWorkItem workItem)
    {
        if (!IsCoyoteControlledThread())
        {
            return false;
        }

        _ = ControlledTask.Run(workItem.Execute);
        return true;
    }

    /// <summary>The subject's type as a reader knows it: "StateMachineFrame&lt;ReserveAsync,Boolean&gt;", "SourceFrame&lt;Int32&gt;".</summary>
    private static string DescribeSubject(object subject)
    {
        Type type = subject.GetType();
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        // A compiler-generated state machine is named <Method>d__N: the method name is what a reader recognizes.
        static string Short(Type argument) =>
            argument.Name.StartsWith('<') ? argument.Name[1..argument.Name.IndexOf('>', StringComparison.Ordinal)] : argument.Name;

        return $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(",", type.GetGenericArguments().Select(Short))}>";
    }

    /// <summary>Coyote gives every thread it controls its own SynchronizationContext type; no other thread has it.</summary>
    private static bool IsCoyoteControlledThread() =>
        SynchronizationContext.Current is { } context && context.GetType().Assembly == typeof(SchedulingPoint).Assembly;
}
