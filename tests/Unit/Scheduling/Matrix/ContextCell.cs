using System.Runtime.ExceptionServices;
using SharedTask.Tests.Unit.Support;
using static SharedTask.Tests.Unit.Scheduling.ResumeContextMatrixTests;

namespace SharedTask.Tests.Unit.Scheduling.Matrix;

/// <summary>
/// One run of one matrix cell, on a thread of its own: the awaiting code starts under the context it captures, the
/// operation is completed under the completer's context, and the cell pumps every context until the continuation has
/// run (or fails the wait after 10 seconds: a lost continuation is an outcome, never a hang).
/// </summary>
internal sealed class ContextCell
{
    private static readonly TimeSpan s_settleLimit = TimeSpan.FromSeconds(10);

    private readonly ActivitySignal _activity = new();
    private readonly PumpedSynchronizationContext _capturedContext;
    private readonly PumpedSynchronizationContext _otherContext;
    private readonly PumpedTaskScheduler _capturedScheduler;
    private readonly PumpedTaskScheduler _otherScheduler;
    private int _cellThread;
    private volatile string _phase = "while the awaiting code registered (before completion)";
    private volatile Resumption? _resumption;
    private int _resumptions;

    private ContextCell()
    {
        _capturedContext = new PumpedSynchronizationContext("the captured SynchronizationContext", _activity);
        _otherContext = new PumpedSynchronizationContext("another SynchronizationContext", _activity);
        _capturedScheduler = new PumpedTaskScheduler("the captured TaskScheduler", _activity);
        _otherScheduler = new PumpedTaskScheduler("another TaskScheduler", _activity);
    }

    /// <summary>Runs the cell for <paramref name="operation"/> on a new thread and returns what its continuation saw.</summary>
    public static Resumption Run(
        IAwaitedOperation operation, AwaitingCode code, Awaited awaited, Configure configure, Capture capture, Completer completer)
    {
        var cell = new ContextCell();
        Resumption? outcome = null;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                outcome = cell.RunHere(operation, code, awaited, configure, capture, completer);
            }
            catch (Exception exception)
            {
                error = ExceptionDispatchInfo.Capture(exception);
            }
        });
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The matrix cell did not finish within 30 s.");
        }

        error?.Throw();
        return outcome!;
    }

    private Resumption RunHere(
        IAwaitedOperation operation, AwaitingCode code, Awaited awaited, Configure configure, Capture capture, Completer completer)
    {
        _cellThread = Environment.CurrentManagedThreadId;
        SynchronizationContext.SetSynchronizationContext(null);
        operation.Prepare(awaited);

        void Start() => operation.StartAwaiting(code, configure, Resumed);
        switch (capture)
        {
            case Capture.None:
                Start();
                break;
            case Capture.SynchronizationContext:
                InContext(_capturedContext, Start);
                break;
            default:
                _capturedScheduler.RunOnThisThread(Start);
                break;
        }

        void Complete()
        {
            _phase = "inline, in the completing call";
            operation.Complete();
            _phase = "after the completing call returned";
        }

        switch (completer)
        {
            case Completer.PlainThread:
                Complete();
                break;
            case Completer.CapturedSynchronizationContext:
                InContext(_capturedContext, Complete);
                break;
            case Completer.OtherSynchronizationContext:
                InContext(_otherContext, Complete);
                break;
            case Completer.CapturedTaskScheduler:
                _capturedScheduler.RunOnThisThread(Complete);
                break;
            default:
                _otherScheduler.RunOnThisThread(Complete);
                break;
        }

        Resumption resumption = Settle();
        operation.Finish();
        if (Volatile.Read(ref _resumptions) > 1)
        {
            return resumption with { Where = $"{resumption.Where}, and {_resumptions - 1} more time(s)" };
        }

        return resumption;
    }

    /// <summary>Pumps every context until the continuation has run, waiting on their posts in between.</summary>
    private Resumption Settle()
    {
        DateTime deadline = DateTime.UtcNow + s_settleLimit;
        while (true)
        {
            Pump(_capturedContext);
            Pump(_otherContext);
            Pump(_capturedScheduler);
            Pump(_otherScheduler);
            if (_resumption is { } resumption)
            {
                // Anything posted after it (a second resumption) has been pumped too.
                Pump(_capturedContext);
                Pump(_otherContext);
                Pump(_capturedScheduler);
                Pump(_otherScheduler);
                return resumption;
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_activity.Wait(left))
            {
                return Resumption.Lost;
            }
        }
    }

    private void Pump(PumpedSynchronizationContext context)
    {
        _phase = $"posted to {context}";
        context.Pump();
    }

    private void Pump(PumpedTaskScheduler scheduler)
    {
        _phase = $"queued to {scheduler}";
        scheduler.Pump();
    }

    private static void InContext(SynchronizationContext context, Action action)
    {
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>The continuation: records where it runs and what it sees.</summary>
    private void Resumed()
    {
        string where = Environment.CurrentManagedThreadId == _cellThread
            ? _phase
            : Thread.CurrentThread.IsThreadPoolThread ? "on a thread-pool thread" : "on another thread";
        if (Interlocked.Increment(ref _resumptions) == 1)
        {
            _resumption = new Resumption(where, Name(SynchronizationContext.Current), Name(TaskScheduler.Current));
        }

        _activity.Signal();
    }

    private string Name(SynchronizationContext? context) => context switch
    {
        null => "null",
        _ when ReferenceEquals(context, _capturedContext) || ReferenceEquals(context, _otherContext) => context.ToString()!,
        _ => context.GetType().Name,
    };

    private string Name(TaskScheduler scheduler) => scheduler switch
    {
        _ when ReferenceEquals(scheduler, TaskScheduler.Default) => "the default scheduler",
        _ when ReferenceEquals(scheduler, _capturedScheduler) || ReferenceEquals(scheduler, _otherScheduler) => scheduler.ToString()!,
        _ => scheduler.GetType().Name,
    };
}
