using System.Runtime.CompilerServices;

namespace SharedTask.Tests.Unit.Scheduling.Matrix;

/// <summary>The raw awaiter kind: code that calls OnCompleted or UnsafeOnCompleted itself, as a custom combinator does.</summary>
internal static class RawAwaiter
{
    public static void Register<TAwaiter>(TAwaiter awaiter, bool flowExecutionContext, Action continuation)
        where TAwaiter : ICriticalNotifyCompletion
    {
        if (flowExecutionContext)
        {
            awaiter.OnCompleted(continuation);
        }
        else
        {
            awaiter.UnsafeOnCompleted(continuation);
        }
    }

    /// <summary>Records the resumption first, then reads the result as the awaiting code would.</summary>
    public static void Resume(Action resumed, Action getResult)
    {
        resumed();
        getResult();
    }
}
