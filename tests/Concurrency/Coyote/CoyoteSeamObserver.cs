using SharedTask.Scheduling;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// The library's scheduling seam under Coyote: every seam point of a logical thread becomes a Coyote scheduling point
/// (and a shadow-model check) of that thread's iteration, and a continuation the library would give to the thread pool
/// becomes a controlled task. Points from any other thread (the test runner, an earlier iteration already unwound) pass
/// straight through. Seam points are treated alike, except a spin wait, which yields (see CoyoteScenarioContext.OnPoint).
/// </summary>
internal sealed class CoyoteSeamObserver : ISchedulingSeamObserver
{
    internal static readonly CoyoteSeamObserver Instance = new();

    private CoyoteSeamObserver()
    {
    }

    public void OnPoint(SeamPoint point, object subject)
    {
        if (CoyoteScenarioContext.Current is { } thread)
        {
            thread.Context.OnPoint(thread, point, subject);
        }
    }

    public bool TryTakeHandOff(IThreadPoolWorkItem workItem)
    {
        if (CoyoteScenarioContext.Current is not { } thread)
        {
            return false;
        }

        thread.Context.HandOff(workItem);
        return true;
    }
}
