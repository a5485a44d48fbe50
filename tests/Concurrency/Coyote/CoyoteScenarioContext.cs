using System.Globalization;
using System.Text;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;
using SharedTask.Scheduling;
using SharedTask.Tests.Concurrency.Engine;
using SharedTask.Tests.Concurrency.Scenarios;
using ControlledTask = Microsoft.Coyote.Rewriting.Types.Threading.Tasks.Task;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// One iteration of a scenario under Microsoft Coyote, and what the scenario may ask of it: Spawn starts a controlled
/// task (its own Coyote operation group, so PCT and delay-bounding prioritize it on its own), Yield is
/// <see cref="SchedulingPoint.Interleave"/>, WaitUntil is <see cref="Operation.PauseUntil"/> (Coyote reports a deadlock
/// when nothing can run). The library's seam points reach <see cref="OnPoint"/> through <see cref="CoyoteSeamObserver"/>;
/// every one is a Coyote scheduling point, and the shadow model checks its invariants at each of them and at the end.
/// </summary>
/// <remarks>
/// Every logical thread runs with no <see cref="SynchronizationContext"/>, as under the home engine: Coyote gives each
/// controlled thread its own context, and awaiting a SimpleTask would then capture it and post every continuation,
/// so the library's inline trampoline path (where several mutants live) would never run.
/// A failure ends the iteration: Coyote records the bug and interrupts every operation, and from then on every
/// scheduling point of this iteration throws <see cref="ThreadInterruptedException"/> so that unwinding threads stop at
/// their next library operation.
/// </remarks>
internal sealed class CoyoteScenarioContext : IScenarioContext
{
    private const int TraceLength = 40;

    [ThreadStatic]
    private static CoyoteLogicalThread? t_current;

    private readonly Scenario _scenario;
    private readonly List<CoyoteLogicalThread> _threads = [];
    private readonly TraceEntry[] _trace = new TraceEntry[TraceLength];
    private readonly Func<string> _describeLastOperation;
    private readonly Lock _gate = new();
    private int _traced;
    private int _steps;
    private int _spawned;
    private int _finished;

    /// <summary>Thread bodies executing right now (for the join after an aborted iteration).</summary>
    private int _running;

    /// <summary>Set once the iteration is over: a thread that starts afterwards must not run its body.</summary>
    private bool _over;

    /// <summary>Set by the first failure: every later point of this iteration unwinds its thread.</summary>
    private volatile bool _stopping;
    private CoyoteFailure? _failure;

    /// <summary>FNV-1a over the ids of the threads in the order they ran their operations: equal for equal schedules.</summary>
    private ulong _signature = 14695981039346656037UL;

    internal CoyoteScenarioContext(Scenario scenario)
    {
        _scenario = scenario;
        _describeLastOperation = DescribeLastOperation;
        Model = new ShadowModel(message => Fail(FailureKind.InvariantViolated, message));
    }

    /// <summary>The logical thread running on this real thread, if it belongs to a Coyote iteration.</summary>
    internal static CoyoteLogicalThread? Current => t_current;

    public ShadowModel Model { get; }

    /// <summary>The iteration's failure, or null if it passed.</summary>
    internal CoyoteFailure? Failure => Volatile.Read(ref _failure);

    /// <summary>Scheduling points (library and scenario) this iteration announced.</summary>
    internal int Steps => _steps;

    /// <summary>Logical threads this iteration started, thread 0 included.</summary>
    internal int Threads => _threads.Count;

    /// <summary>Identifies the order in which the threads ran their operations (distinct schedules counting).</summary>
    internal ulong Signature => _signature;

    public void Spawn(string name, Action body)
    {
        CoyoteLogicalThread thread = NewThread(name);
        ControlledTask.Run(() => RunThread(thread, body));
    }

    public void Yield(string what)
    {
        CoyoteLogicalThread thread = Calling();
        Announce(thread, what, null);
        Interleave(thread);
    }

    public void WaitUntil(Func<bool> condition, string description)
    {
        CoyoteLogicalThread thread = Calling();
        thread.BlockedOn = description;
        Announce(thread, "wait until " + description, null);
        Interleave(thread);
        Operation.PauseUntil(condition);
        ThrowIfStopping();
        thread.BlockedOn = null;
    }

    /// <summary>
    /// The body of the test's root operation: runs the scenario as thread 0, waits (as a controlled wait) until every
    /// thread it started finished, then runs the end-of-iteration checks.
    /// </summary>
    internal void RunIteration(ICoyoteRuntime runtime)
    {
        runtime.OnFailure += OnCoyoteFailure;
        ScenarioPoolProvider.Instance.ResetControlledPools();
        RunThread(NewThread("main"), () => _scenario.Run(this));
        ThrowIfStopping();

        // The last release of an async body may still be pending on another operation: wait for it under Coyote's
        // control (if nothing can finish, Coyote reports the deadlock) before checking what is left.
        Operation.PauseUntil(() => Volatile.Read(ref _finished) == Volatile.Read(ref _spawned));
        ThrowIfStopping();
        Model.CheckEnd();
        _scenario.CheckEnd(this);
    }

    /// <summary>
    /// Called by the testing engine after the iteration (outside any controlled operation): marks it over and waits
    /// until the threads of an aborted iteration have unwound, so that none touches the pools of the next one.
    /// </summary>
    internal void EndIteration(TimeSpan timeout)
    {
        lock (_gate)
        {
            _over = true;
        }

        _stopping = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _running) > 0)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Scenario '{_scenario.Name}': {Volatile.Read(ref _running)} logical thread(s) did not unwind within {timeout.TotalSeconds:0} s " +
                    "after the iteration ended (blocked on something Coyote does not control?). Last steps:\n" + FormatTrace());
            }

            spinner.SpinOnce(sleep1Threshold: 20);
        }
    }

    /// <summary>A library scheduling point on <paramref name="thread"/> (from <see cref="CoyoteSeamObserver"/>).</summary>
    internal void OnPoint(CoyoteLogicalThread thread, SeamPoint point, object subject)
    {
        ThrowIfStopping();
        Announce(thread, point.ToString(), subject);

        // A rent has happened when it is reported; every other point announces an operation that happens when this
        // thread next runs, so the model checks it then, against the state other operations left.
        if (point == SeamPoint.PoolRent)
        {
            Model.OnPoint(point, subject);
            Interleave(thread);
        }
        else if (point == SeamPoint.SpinWait)
        {
            // The thread waits for another operation's imminent write: yield (which lowers its priority under PCT), so
            // an unfair strategy does not keep choosing the spinner and report a livelock no fair scheduler produces.
            SchedulingPoint.Yield();
            ThrowIfStopping();
            Executed(thread, thread.PendingPoint, thread.PendingSubject);
        }
        else
        {
            Interleave(thread);
            Model.OnPoint(point, subject);
        }
    }

    /// <summary>A continuation the library would send to the thread pool becomes a new logical thread (a controlled task).</summary>
    internal void HandOff(IThreadPoolWorkItem workItem) =>
        Spawn(string.Create(CultureInfo.InvariantCulture, $"hand-off {_threads.Count}"), workItem.Execute);

    /// <summary>Records a failure and ends the iteration (Coyote's assertion), unwinding the calling thread.</summary>
    internal void Fail(FailureKind kind, string message)
    {
        Record(kind, message);
        Specification.Assert(false, "{0}", message);

        // The runtime had already stopped (another failure came first): unwind all the same.
        throw new ThreadInterruptedException();
    }

    /// <summary>The operations in the order they ran, then where each unfinished thread stood when the iteration ended.</summary>
    internal string FormatTrace()
    {
        var text = new StringBuilder();
        for (int i = Math.Max(0, _traced - TraceLength); i < _traced; i++)
        {
            TraceEntry entry = _trace[i % TraceLength];
            string step = entry.Point is null ? "" : entry.Step.ToString(CultureInfo.InvariantCulture);
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"    {step,6} {entry.Thread,-24} {entry.Point ?? "starts",-22} {(entry.Subject is null ? "" : Model.Name(entry.Subject))}"));
        }

        foreach (CoyoteLogicalThread thread in _threads.Where(t => !t.Finished && (t.PendingPoint is not null || t.BlockedOn is not null)))
        {
            string waits = thread.BlockedOn is null ? "" : $" (waits until {thread.BlockedOn})";
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"    stopped at step {thread.PendingStep}: {thread} before {thread.PendingPoint} {(thread.PendingSubject is null ? "" : Model.Name(thread.PendingSubject))}{waits}"));
        }

        return text.ToString();
    }

    private CoyoteLogicalThread NewThread(string name)
    {
        var thread = new CoyoteLogicalThread(this, _threads.Count, name);
        _threads.Add(thread);
        Interlocked.Increment(ref _spawned);
        return thread;
    }

    private void RunThread(CoyoteLogicalThread thread, Action body)
    {
        lock (_gate)
        {
            if (_over)
            {
                return; // started by Coyote after the iteration was aborted
            }

            _running++;
        }

        SynchronizationContext? coyoteContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        t_current = thread;
        try
        {
            Executed(thread, null, null);
            body();
        }
        catch (Exception exception) when (!_stopping && !IsUnwinding(exception))
        {
            Record(FailureKind.UnhandledException, $"{thread}: {exception}");
            Specification.Assert(false, "{0} threw {1}", thread, exception);
        }
        catch (Exception) when (_stopping)
        {
            // Unwinding after a failure that is already recorded.
        }
        finally
        {
            thread.Finished = true;
            t_current = null;
            SynchronizationContext.SetSynchronizationContext(coyoteContext);
            Interlocked.Increment(ref _finished);
            lock (_gate)
            {
                _running--;
            }
        }
    }

    private static bool IsUnwinding(Exception exception) =>
        exception is ThreadInterruptedException
        || (exception is AggregateException aggregate && aggregate.Flatten().InnerExceptions.All(e => e is ThreadInterruptedException));

    private CoyoteLogicalThread Calling() =>
        t_current is { } thread && thread.Context == this
            ? thread
            : throw new InvalidOperationException("Yield and WaitUntil are for scenario code running on a logical thread of this iteration.");

    /// <summary>Counts a step, notes what the thread will do next, and checks that nothing touched a pooled frame.</summary>
    private void Announce(CoyoteLogicalThread thread, string what, object? subject)
    {
        Model.VerifyPooledFrames(_describeLastOperation);
        _steps++;
        thread.PendingStep = _steps;
        thread.PendingPoint = what;
        thread.PendingSubject = subject;
    }

    /// <summary>The Coyote scheduling point: another operation may run first; this thread then performs what it announced.</summary>
    private void Interleave(CoyoteLogicalThread thread)
    {
        SchedulingPoint.Interleave();
        ThrowIfStopping();
        Executed(thread, thread.PendingPoint, thread.PendingSubject);
    }

    private void Executed(CoyoteLogicalThread thread, string? point, object? subject)
    {
        _signature = (_signature ^ (ulong)thread.Id) * 1099511628211UL;
        _trace[_traced++ % TraceLength] = new TraceEntry(thread, point is null ? 0 : thread.PendingStep, point, subject);
    }

    private void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw new ThreadInterruptedException();
        }
    }

    /// <summary>Coyote found a failure itself (a deadlock, the step bound, an exception it caught).</summary>
    private void OnCoyoteFailure(Exception exception)
    {
        string message = exception.Message;
        FailureKind kind = message.Contains("Deadlock", StringComparison.OrdinalIgnoreCase)
            ? FailureKind.Deadlock
            : message.Contains("steps bound", StringComparison.OrdinalIgnoreCase) || message.Contains("max-steps", StringComparison.OrdinalIgnoreCase)
                ? FailureKind.StepBoundExceeded
                : FailureKind.UnhandledException;
        if (kind == FailureKind.Deadlock)
        {
            message += " Waiting: " + string.Join("; ", _threads.Where(t => !t.Finished).Select(t => $"{t} waits until {t.BlockedOn ?? "(not blocked)"}"));
        }

        Record(kind, message);
    }

    private void Record(FailureKind kind, string message)
    {
        _stopping = true;
        CoyoteLogicalThread? thread = t_current;
        var failure = new CoyoteFailure
        {
            Kind = kind,
            Message = message,
            Thread = thread is not null && thread.Context == this ? thread.ToString() : "engine (end of iteration)",
            Steps = _steps,
        };
        if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
        {
            failure.Trace = FormatTrace();
        }
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

    /// <summary>One operation in the trace: the thread that performed it, the step it was announced at, and what.</summary>
    private readonly record struct TraceEntry(CoyoteLogicalThread Thread, int Step, string? Point, object? Subject);
}
