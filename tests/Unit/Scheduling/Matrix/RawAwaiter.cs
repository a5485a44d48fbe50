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

    /// <summary>
    /// Reads the result as the awaiting code would, then records the resumption: the cell finishes the operation (and
    /// releases the pointer the awaiter reads through) only after the continuation is done with it, as an async method's
    /// await is.
    /// </summary>
    public static void Resume(Action resumed, Action getResult)
    {
        getResult();
        resumed();
    }
}
