namespace SharedTask.Tests.Unit.Scheduling;

/// <summary>
/// Code that calls an awaiter's OnCompleted itself (a hand-written combinator) after the operation completed: as with
/// Task's awaiters, the continuation is scheduled, never run inside the OnCompleted call, which would re-enter the
/// caller before it returned.
/// </summary>
public class LateRegistrationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnCompleted_after_completion_never_runs_the_continuation_inside_the_call(bool flowExecutionContext)
    {
        bool ranInsideTheCall = true;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                ranInsideTheCall = RegisterAfterCompletion(flowExecutionContext);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });

        // A thread of its own: no SynchronizationContext, and no trampoline loop running on it.
        thread.Start();
        thread.Join();

        Assert.Null(failure);
        Assert.False(ranInsideTheCall, "a continuation registered after completion ran inside OnCompleted, re-entering its caller");
    }

    private static bool RegisterAfterCompletion(bool flowExecutionContext)
    {
        using var source = new SimpleTaskCompletionSource<int>();
        source.SetResult(5);
        SimpleTask<int>.Awaiter awaiter = source.Task.GetAwaiter();
        int caller = Environment.CurrentManagedThreadId;
        bool returned = false;
        bool ranInside = false;
        using var ran = new ManualResetEventSlim();
        Action continuation = () =>
        {
            ranInside = Environment.CurrentManagedThreadId == caller && !Volatile.Read(ref returned);
            ran.Set();
        };

        if (flowExecutionContext)
        {
            awaiter.OnCompleted(continuation);
        }
        else
        {
            awaiter.UnsafeOnCompleted(continuation);
        }

        Volatile.Write(ref returned, true);
        Assert.True(ran.Wait(TimeSpan.FromSeconds(10)), "the continuation registered after completion never ran");
        Assert.Equal(5, awaiter.GetResult());
        return ranInside;
    }
}
