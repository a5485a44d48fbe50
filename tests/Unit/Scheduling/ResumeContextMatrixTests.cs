using SharedTask.Tests.Unit.Scheduling.Matrix;

namespace SharedTask.Tests.Unit.Scheduling;

/// <summary>
/// Where a continuation resumes, for every kind of awaiting code, awaited handle, ConfigureAwait choice, context
/// captured at the await and context the operation completes in: the same code awaiting a Task is the reference, run
/// in the same test. SimpleTask promises .NET's conventions; Task defines them.
/// </summary>
public class ResumeContextMatrixTests
{
    /// <summary>The code that awaits.</summary>
    public enum AwaitingCode
    {
        SimpleTaskMethod,
        TaskMethod,
        ValueTaskMethod,
        RawOnCompleted,
        RawUnsafeOnCompleted,
    }

    /// <summary>What it awaits (on the reference side: a TaskCompletionSource's Task, or an async Task method's).</summary>
    public enum Awaited
    {
        CompletionSourceTask,
        AsyncMethodResult,
        PromisePtr,
    }

    /// <summary>How it awaits: a plain await (the default awaiter), ConfigureAwait(true) or ConfigureAwait(false).</summary>
    public enum Configure
    {
        Plain,
        True,
        False,
    }

    /// <summary>The context current when the awaiting code registers its continuation.</summary>
    public enum Capture
    {
        None,
        SynchronizationContext,
        TaskScheduler,
    }

    /// <summary>The context current on the thread that completes the operation.</summary>
    public enum Completer
    {
        PlainThread,
        CapturedSynchronizationContext,
        OtherSynchronizationContext,
        CapturedTaskScheduler,
        OtherTaskScheduler,
    }

    public static TheoryData<AwaitingCode, Awaited, Configure> AwaitingCodes()
    {
        var rows = new TheoryData<AwaitingCode, Awaited, Configure>();
        foreach (AwaitingCode code in Enum.GetValues<AwaitingCode>())
        {
            foreach (Awaited awaited in Enum.GetValues<Awaited>())
            {
                foreach (Configure configure in Enum.GetValues<Configure>())
                {
                    rows.Add(code, awaited, configure);
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// One row is one piece of awaiting code; its cells are every captured context, completed on a thread with no context
    /// of its own (where Task runs a continuation that captured nothing inline), run side by side.
    /// </summary>
    [Theory]
    [MemberData(nameof(AwaitingCodes))]
    public void Continuation_resumes_where_Task_resumes_it_when_completed_on_a_thread_with_no_context(
        AwaitingCode code, Awaited awaited, Configure configure) =>
        AssertSameAsTask(code, awaited, configure, [Completer.PlainThread]);

    /// <summary>
    /// The same rows, completed on a thread that has a SynchronizationContext or TaskScheduler of its own (the captured
    /// one, or another): Task decides there whether a continuation may run inline, and SimpleTask follows the same rules.
    /// </summary>
    [Theory]
    [MemberData(nameof(AwaitingCodes))]
    public void Continuation_resumes_where_Task_resumes_it_when_completed_on_a_thread_with_a_context(
        AwaitingCode code, Awaited awaited, Configure configure) =>
        AssertSameAsTask(code, awaited, configure, [.. Enum.GetValues<Completer>().Where(completer => completer != Completer.PlainThread)]);

    /// <summary>Runs every captured context times <paramref name="completers"/> side by side (each cell on threads of its own) and reports every cell that differs from Task.</summary>
    private static void AssertSameAsTask(AwaitingCode code, Awaited awaited, Configure configure, Completer[] completers)
    {
        var cells = (from capture in Enum.GetValues<Capture>()
                     from completer in completers
                     select (Capture: capture, Completer: completer)).ToArray();
        var differences = new string?[cells.Length];
        Parallel.For(0, cells.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            (Capture capture, Completer completer) = cells[i];
            Resumption reference = ContextCell.Run(new TaskOperation(), code, awaited, configure, capture, completer);
            Resumption actual = ContextCell.Run(new SimpleTaskOperation(), code, awaited, configure, capture, completer);
            if (reference != actual)
            {
                differences[i] =
                    $"registered with {Describe(capture)} current, completed on {Describe(completer)}: " +
                    $"SimpleTask resumed {actual}; Task resumes {reference}.";
            }
        });

        string[] failed = [.. differences.OfType<string>()];
        Assert.True(
            failed.Length == 0,
            $"{code} awaiting {awaited} with {Describe(configure)} resumes differently from Task in {failed.Length} of " +
            $"{cells.Length} contexts:{Environment.NewLine}" + string.Join(Environment.NewLine, failed));
    }

    private static string Describe(Configure configure) => configure switch
    {
        Configure.Plain => "a plain await",
        Configure.True => "ConfigureAwait(true)",
        _ => "ConfigureAwait(false)",
    };

    private static string Describe(Capture capture) => capture switch
    {
        Capture.None => "no context",
        Capture.SynchronizationContext => "a SynchronizationContext",
        _ => "a non-default TaskScheduler",
    };

    private static string Describe(Completer completer) => completer switch
    {
        Completer.PlainThread => "a thread with no context",
        Completer.CapturedSynchronizationContext => "the captured SynchronizationContext",
        Completer.OtherSynchronizationContext => "another SynchronizationContext",
        Completer.CapturedTaskScheduler => "a task of the captured TaskScheduler",
        _ => "a task of another TaskScheduler",
    };
}
