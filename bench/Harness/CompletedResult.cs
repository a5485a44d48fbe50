namespace SharedTask.Benchmarks.Harness;

/// <summary>
/// How a driver waits for an operation and reads its result, the same way for every peer: spin (yielding, never
/// sleeping) until the operation reports completion, then read the result once. A blocking <c>GetResult()</c> is not
/// an option for all of them (a pooled ValueTask or a SimpleTask must not be read before it completes), and Task's
/// blocking wait would add its own allocation to the Task peers.
/// </summary>
internal static class CompletedResult
{
    internal static int Of(Task<int> task)
    {
        SpinWait spin = default;
        while (!task.IsCompleted)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return task.GetAwaiter().GetResult();
    }

    internal static int Of(ValueTask<int> task)
    {
        SpinWait spin = default;
        while (!task.IsCompleted)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return task.GetAwaiter().GetResult();
    }

    internal static int Of(SimpleTask<int> task)
    {
        SpinWait spin = default;
        while (!task.IsCompleted)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return task.GetAwaiter().GetResult();
    }
}
