using System.Globalization;
using System.Text;
using SharedTask.Scheduling;
using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Runs one iteration of a scenario under controlled scheduling: logical threads run one at a time on worker threads,
/// and at every scheduling point (the library's seam, or <see cref="Yield"/>/<see cref="WaitUntil"/> in scenario code)
/// the strategy decides which runnable thread goes on. Calls from threads the engine does not control pass through.
/// </summary>
/// <remarks>
/// Each scheduling point runs before the shared-state operation it announces, so the engine explores every order of
/// those operations (sequentially consistent interleavings). Failures (a shadow-model violation, a deadlock, the step
/// bound, an unexpected exception) end the iteration: every later scheduling point throws
/// <see cref="EngineAbortedException"/>, and the threads are unwound one at a time.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design", "CA1001", Justification = "Lives as long as the process's worker threads; its semaphore is never released early.")]
internal sealed class ControlledScheduler : ISchedulingSeamObserver
{
    private const int TraceLength = 400;

    [ThreadStatic]
    private static LogicalThread? t_current;

    private readonly List<LogicalThread> _threads = [];
    private readonly List<int> _runnable = [];
    private readonly List<int> _decisions = [];
    private readonly TraceEntry[] _trace = new TraceEntry[TraceLength];
    private int _traced;
    private readonly SemaphoreSlim _iterationDone = new(0, 1);
    private readonly int _maxSteps;
    private readonly TimeSpan _stallTimeout;
    private ISchedulingStrategy _strategy = null!;
    private ShadowModel _model = null!;
    private int _steps;

    /// <summary>Steps taken by threads not in a spin loop (see <see cref="OnPoint"/>).</summary>
    private int _progress;
    private bool _aborting;
    private Failure? _failure;
    private bool _broken;
    private readonly Func<string> _describeLastOperation;

    internal ControlledScheduler(int maxSteps, TimeSpan stallTimeout)
    {
        _describeLastOperation = DescribeLastOperation;
        _maxSteps = maxSteps;
        _stallTimeout = stallTimeout;
    }

    /// <summary>The model of the running iteration; scenario code reaches it through its context.</summary>
    internal ShadowModel Model => _model;

    /// <summary>Runs one iteration of <paramref name="scenario"/> with the decisions of <paramref name="strategy"/>.</summary>
    internal IterationResult RunIteration(Scenario scenario, ISchedulingStrategy strategy)
    {
        if (_broken)
        {
            throw new InvalidOperationException("A logical thread stalled outside the engine in an earlier iteration; this process cannot run more.");
        }

        _strategy = strategy;
        _model = new ShadowModel(message => Fail(FailureKind.InvariantViolated, message));
        _threads.Clear();
        _decisions.Clear();
        Array.Clear(_trace);
        _traced = 0;
        _steps = 0;
        _progress = 0;
        _aborting = false;
        _failure = null;
        ScenarioPoolProvider.Instance.ResetControlledPools();

        var context = new EngineScenarioContext(this);
        Spawn("main", () => scenario.Run(context));
        SchedulingSeam.Observer = this;
        try
        {
            StartNext();
            if (!_iterationDone.Wait(_stallTimeout))
            {
                _broken = true;
                throw new TimeoutException(
                    $"Scenario '{scenario.Name}' stalled: no logical thread reached a scheduling point for {_stallTimeout.TotalSeconds:0} s " +
                    "(blocked on something the engine does not control?). Last steps:\n" + FormatTrace());
            }
        }
        finally
        {
            SchedulingSeam.Observer = null;
        }

        if (_failure is null)
        {
            _model.CheckEnd();
            scenario.CheckEnd(context);
        }

        if (_failure is { } failure)
        {
            failure.Scenario = scenario.Name;
            failure.Strategy = strategy.Name;
            failure.Seed = strategy.IterationSeed;
            failure.Steps = _steps;
            failure.Schedule = Schedule.Format(_decisions);
            failure.Trace = FormatTrace();
        }

        return new IterationResult(_failure, _steps, _decisions.Count, _threads.Count, Schedule.Format(_decisions));
    }

    public void OnPoint(SeamPoint point, object subject)
    {
        LogicalThread? current = t_current;
        if (current is null || current.Scheduler != this)
        {
            return; // not a thread of this run: pass straight through
        }

        Step(current, point.ToString(), subject);

        // Progress is a step by a thread that is not going round a spin loop (its last point was not a spin wait).
        bool spinning = point == SeamPoint.SpinWait;
        if (!current.LastPointWasSpin && !spinning)
        {
            _progress++;
        }

        current.LastPointWasSpin = spinning;
        if (spinning)
        {
            // The thread waits for another thread's imminent write: it may go on only once a thread that is not itself
            // spinning has made progress. A strategy that kept choosing spinners would otherwise report a livelock no real
            // (fair) scheduler produces; and with nobody else able to run, the spin is a real deadlock and is reported
            // as one.
            int mark = _progress;
            current.BlockedUntil = () => _progress != mark;
            current.BlockedOn = "another thread's step (it spins on a write another thread is about to make)";
            SwitchFrom(current);
            current.BlockedUntil = null;
            current.BlockedOn = null;
            return;
        }

        // A rent has happened when it is reported; every other point announces an operation that happens when this
        // thread next runs, so the model checks it then, against the state other threads left.
        if (point == SeamPoint.PoolRent)
        {
            _model.OnPoint(point, subject);
            SwitchFrom(current);
        }
        else
        {
            SwitchFrom(current);
            _model.OnPoint(point, subject);
        }
    }

    public bool TryTakeHandOff(IThreadPoolWorkItem workItem)
    {
        LogicalThread? current = t_current;
        if (current is null || current.Scheduler != this)
        {
            return false;
        }

        // The continuation that would have gone to the thread pool becomes a new logical thread of this iteration.
        Spawn($"hand-off {_threads.Count}", workItem.Execute);
        return true;
    }

    /// <summary>Starts a logical thread; it runs when the strategy first chooses it.</summary>
    internal void Spawn(string name, Action body)
    {
        int id = _threads.Count;
        WorkerThread.RentFor(worker =>
        {
            var thread = new LogicalThread(this, id, name, body, worker);
            _threads.Add(thread);
            return thread;
        });
        _strategy.OnThreadCreated(id);
    }

    /// <summary>A scheduling point in scenario code (a shared variable access, or a place worth interleaving).</summary>
    internal void Yield(string what)
    {
        LogicalThread current = CurrentThread();
        Step(current, what, null);
        SwitchFrom(current);
    }

    /// <summary>
    /// Blocks the calling logical thread until <paramref name="condition"/> holds (a pure read of scenario state). If
    /// no thread can run, the iteration fails with a deadlock that names what every thread waits for.
    /// </summary>
    internal void WaitUntil(Func<bool> condition, string description)
    {
        LogicalThread current = CurrentThread();
        current.BlockedUntil = condition;
        current.BlockedOn = description;
        Step(current, "wait until " + description, null);
        SwitchFrom(current);
        current.BlockedUntil = null;
        current.BlockedOn = null;
    }

    /// <summary>Records a failure; on a logical thread also starts unwinding it.</summary>
    internal void Fail(FailureKind kind, string message)
    {
        LogicalThread? current = t_current;
        _failure ??= new Failure { Kind = kind, Message = message, Thread = current?.ToString() ?? "engine (end of iteration)" };
        _aborting = true;
        if (current is not null && current.Scheduler == this)
        {
            throw new EngineAbortedException();
        }
    }

    /// <summary>The body of a worker thread for one logical thread, from its first baton to its end.</summary>
    internal void RunOnCurrentWorker(LogicalThread thread)
    {
        if (!_aborting)
        {
            t_current = thread;
            try
            {
                thread.Body();
            }
            catch (Exception exception) when (IsUnexpected(exception))
            {
                _failure ??= new Failure
                {
                    Kind = exception is ReplayDivergedException ? FailureKind.ReplayDiverged : FailureKind.UnhandledException,
                    Message = exception is ReplayDivergedException ? exception.Message : exception.ToString(),
                    Thread = thread.ToString(),
                };
                _aborting = true;
            }
            catch (Exception)
            {
                // An unwinding thread: the failure is already recorded.
            }
            finally
            {
                t_current = null;
            }
        }

        thread.Finished = true;
        thread.Worker.BecomeIdle();
        StartNext();
    }

    private bool IsUnexpected(Exception exception) =>
        !_aborting && exception is not EngineAbortedException
        && !(exception is AggregateException aggregate && aggregate.Flatten().InnerExceptions.All(e => e is EngineAbortedException));

    private static LogicalThread CurrentThread() =>
        t_current ?? throw new InvalidOperationException("Yield and WaitUntil are for scenario code running on a logical thread.");

    /// <summary>Counts a step and enforces the step bound; throws if the iteration is already failing.</summary>
    private void Step(LogicalThread current, string what, object? subject)
    {
        if (_aborting)
        {
            throw new EngineAbortedException();
        }

        _model.VerifyPooledFrames(_describeLastOperation);
        _steps++;
        current.PendingStep = _steps;
        current.PendingPoint = what;
        current.PendingSubject = subject;
        if (_steps > _maxSteps)
        {
            Fail(FailureKind.StepBoundExceeded,
                $"more than {_maxSteps} scheduling points in one iteration: a livelock, or a retry loop that never gives up");
        }
    }

    /// <summary>Lets the strategy choose who runs after <paramref name="current"/>'s step, and hands the baton over.</summary>
    private void SwitchFrom(LogicalThread current)
    {
        LogicalThread? next = Choose(current);
        if (next is null)
        {
            Fail(FailureKind.Deadlock, DescribeDeadlock());
            return;
        }

        Trace(next);
        if (next == current)
        {
            return;
        }

        next.Worker.Resume();
        current.Worker.Park();
        if (_aborting)
        {
            throw new EngineAbortedException();
        }
    }

    /// <summary>After a thread finished (or at the start): gives the baton to the next thread, or ends the iteration.</summary>
    private void StartNext()
    {
        LogicalThread? next = null;
        if (!_aborting)
        {
            next = Choose(null);
            if (next is null && _threads.Any(t => !t.Finished))
            {
                Fail(FailureKind.Deadlock, DescribeDeadlock());
            }
        }

        if (_aborting)
        {
            // Unwinding: every unfinished thread runs once more, throws at its next scheduling point, and ends.
            next = _threads.FirstOrDefault(t => !t.Finished);
        }

        if (next is null)
        {
            _iterationDone.Release();
        }
        else
        {
            if (!_aborting)
            {
                Trace(next);
            }

            next.Worker.Resume();
        }
    }

    private LogicalThread? Choose(LogicalThread? current)
    {
        _runnable.Clear();
        foreach (LogicalThread thread in _threads)
        {
            if (thread.IsRunnable)
            {
                _runnable.Add(thread.Id);
            }
        }

        if (_runnable.Count == 0)
        {
            return null;
        }

        if (_runnable.Count == 1)
        {
            return _threads[_runnable[0]];
        }

        int currentId = current is { IsRunnable: true } ? current.Id : -1;
        int chosen;
        try
        {
            chosen = _strategy.Choose(_runnable, currentId);
        }
        catch (ReplayDivergedException diverged)
        {
            Fail(FailureKind.ReplayDiverged, diverged.Message);
            return null;
        }

        _decisions.Add(chosen);
        return _threads[chosen];
    }

    private string DescribeDeadlock()
    {
        var text = new StringBuilder("no logical thread can run; waiting: ");
        text.AppendJoin("; ", _threads.Where(t => !t.Finished).Select(t => $"{t} waits until {t.BlockedOn ?? "(not blocked?)"}"));
        return text.ToString();
    }

    /// <summary>Records that <paramref name="next"/> goes on: it now performs the operation its last point announced.</summary>
    private void Trace(LogicalThread next)
    {
        _trace[_traced++ % TraceLength] = new TraceEntry(next, next.PendingStep, next.PendingPoint, next.PendingSubject);
    }

    private string DescribeLastOperation()
    {
        if (_traced == 0)
        {
            return "none";
        }

        TraceEntry last = _trace[(_traced - 1) % TraceLength];
        return string.Create(CultureInfo.InvariantCulture, $"{last.Thread} {last.Point ?? "start"} announced at step {last.Step}");
    }

    /// <summary>The operations in the order they ran, then where each unfinished thread stood when the iteration ended.</summary>
    private string FormatTrace()
    {
        var text = new StringBuilder();
        for (int i = Math.Max(0, _traced - TraceLength); i < _traced; i++)
        {
            TraceEntry entry = _trace[i % TraceLength];
            string step = entry.Point is null ? "" : entry.Step.ToString(CultureInfo.InvariantCulture);
            string what = entry.Point ?? "starts";
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"    {step,6} {entry.Thread,-24} {what,-22} {(entry.Subject is null ? "" : _model.Name(entry.Subject))}"));
        }

        foreach (LogicalThread thread in _threads.Where(t => t.PendingPoint is not null && !t.Finished || t.BlockedOn is not null))
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"    stopped at step {thread.PendingStep}: {thread} before {thread.PendingPoint} {(thread.PendingSubject is null ? "" : _model.Name(thread.PendingSubject))}"));
        }

        return text.ToString();
    }

    /// <summary>One operation in the trace: the thread that went on, and the point (step number) it went on from.</summary>
    private readonly record struct TraceEntry(LogicalThread Thread, int Step, string? Point, object? Subject);
}
