using SharedTask.Frames;
using SharedTask.Scheduling;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Scheduling;

/// <summary>
/// The per-thread trampoline driven directly, deterministically, on a dedicated thread each: what it runs, in which
/// order, how often, and what is left of it after a continuation threw. Every check is made when Schedule returns; a
/// continuation that did not run by then is reported as lost, never waited for.
/// </summary>
public class TrampolineTests
{
    public static TheoryData<int> ChainLengths() => [1, 2, 3, 64];

    [Fact]
    public void Continuations_after_one_that_throws_still_run_on_the_same_thread_and_its_exception_reaches_the_scheduler()
    {
        (List<string> log, Exception? thrown) = OnDedicatedThread(log =>
        {
            var failure = new InvalidOperationException("continuation A threw");
            Waiter[] chain = [Step.Throwing("A", log, failure), Step.Logging("B", log), Step.Logging("C", log)];
            return Record.Exception(() => ScheduleChain(chain));
        });

        Assert.True(log.SequenceEqual(["A", "B", "C"]), $"after a throwing continuation the later ones must still run: ran {Show(log)}");
        Assert.True(thrown is InvalidOperationException { Message: "continuation A threw" }, $"the throwing continuation's exception must reach Schedule's caller as itself, got {thrown}");
    }

    [Fact]
    public void Several_throwing_continuations_surface_as_one_AggregateException_after_all_of_them_ran()
    {
        (List<string> log, Exception? thrown) = OnDedicatedThread(log =>
        {
            Waiter[] chain =
            [
                Step.Throwing("A", log, new InvalidOperationException("A")),
                Step.Logging("B", log),
                Step.Throwing("C", log, new FormatException("C")),
                Step.Logging("D", log),
            ];
            return Record.Exception(() => ScheduleChain(chain));
        });

        Assert.True(log.SequenceEqual(["A", "B", "C", "D"]), $"every continuation must run: ran {Show(log)}");
        var aggregate = Assert.IsType<AggregateException>(thrown);
        Assert.Collection(
            aggregate.InnerExceptions,
            e => Assert.Equal("A", Assert.IsType<InvalidOperationException>(e).Message),
            e => Assert.Equal("C", Assert.IsType<FormatException>(e).Message));
    }

    [Fact]
    public void Thread_whose_continuation_threw_runs_the_next_continuation_at_once()
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Exception? first = Record.Exception(() => Trampoline.Schedule(Step.Throwing("A", log, new InvalidOperationException("A"))));
            Assert.NotNull(first);
            Trampoline.Schedule(Step.Logging("B", log));
            log.Add(Trampoline.IsDrainingOnThisThread ? "still draining" : "idle");
            return null;
        });

        Assert.True(
            log.SequenceEqual(["A", "B", "idle"]),
            $"a continuation scheduled on a thread whose earlier continuation threw must run before Schedule returns (it was " +
            $"lost if the trampoline stayed in its draining state): saw {Show(log)}");
    }

    [Fact]
    public void Continuation_scheduled_from_inside_another_runs_after_it_returns_not_inside_it()
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Waiter inner = Step.Logging("inner", log);
            Trampoline.Schedule(new Step(() =>
            {
                log.Add("outer starts");
                Trampoline.Schedule(inner);
                log.Add("outer ends");
            }));
            return null;
        });

        Assert.True(
            log.SequenceEqual(["outer starts", "outer ends", "inner"]),
            $"a continuation scheduled by a running one must be queued behind it (constant stack), saw {Show(log)}");
    }

    [Fact]
    public void Single_waiter_scheduled_with_a_stale_link_runs_alone()
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Waiter single = Step.Logging("single", log);
            single.Next = Step.Logging("a node it was once linked to (must not run)", log);
            Trampoline.Schedule(single);
            return null;
        });

        Assert.True(log.SequenceEqual(["single"]), $"a waiter scheduled alone is a chain of one, whatever link it carries: ran {Show(log)}");
    }

    [Fact]
    public void Foreign_continuation_registered_on_a_completed_handle_inside_a_continuation_runs_after_it_on_this_thread()
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            int thread = Environment.CurrentManagedThreadId;
            Trampoline.Schedule(new Step(() =>
            {
                log.Add("outer starts");
                SimpleTask<int>.Awaiter completed = new SimpleTask<int>(1).GetAwaiter();
                completed.UnsafeOnCompleted(() => log.Add(Environment.CurrentManagedThreadId == thread ? "late registration" : "late registration (on another thread)"));
                log.Add("outer ends");
            }));
            return null;
        });

        Assert.True(
            log.SequenceEqual(["outer starts", "outer ends", "late registration"]),
            $"a continuation registered on a completed handle from inside a continuation must be queued behind it on this thread (not run inside it, not sent to the thread pool): ran {Show(log)}");
    }

    [Theory]
    [MemberData(nameof(ChainLengths))]
    public void Chain_of_waiters_runs_each_once_in_its_order(int length)
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            ScheduleChain([.. Enumerable.Range(0, length).Select(i => Step.Logging($"{i}", log))]);
            return null;
        });

        string[] expected = [.. Enumerable.Range(0, length).Select(i => $"{i}")];
        Assert.True(log.SequenceEqual(expected), $"a chain of {length} must run each waiter once, in order: ran {Show(log)}");
    }

    [Theory]
    [MemberData(nameof(ChainLengths))]
    public void Chain_scheduled_while_draining_runs_after_the_queue_and_work_it_adds_runs_after_the_chain(int length)
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Waiter[] chain = [.. Enumerable.Range(0, length).Select(i => Step.Logging($"{i}", log))];
            Trampoline.Schedule(new Step(() =>
            {
                log.Add("outer");
                ScheduleChain(chain);
                Trampoline.Schedule(Step.Logging("after the chain", log));
            }));
            return null;
        });

        string[] expected = ["outer", .. Enumerable.Range(0, length).Select(i => $"{i}"), "after the chain"];
        Assert.True(
            log.SequenceEqual(expected),
            $"a chain of {length} queued while draining must run in order, and what is queued after it must run after it: ran {Show(log)}");
    }

    [Theory]
    [MemberData(nameof(ChainLengths))]
    public void ResumeAll_runs_the_primary_waiter_first_then_the_list_in_registration_order(int listLength)
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Continuations.ResumeAll(Step.Logging("primary", log), WaiterList(listLength, log), asynchronously: false);
            return null;
        });

        string[] expected = ["primary", .. Enumerable.Range(0, listLength).Select(i => $"{i}")];
        Assert.True(log.SequenceEqual(expected), $"completion must resume the primary waiter, then {listLength} list waiters in registration order, each once: ran {Show(log)}");
    }

    [Theory]
    [MemberData(nameof(ChainLengths))]
    public void ResumeAll_of_a_list_alone_runs_it_in_registration_order_and_later_work_after_it(int listLength)
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Waiter? head = WaiterList(listLength, log);
            Trampoline.Schedule(new Step(() =>
            {
                log.Add("completer");
                Continuations.ResumeAll(null, head, asynchronously: false);
                Trampoline.Schedule(Step.Logging("queued after the list", log));
            }));
            return null;
        });

        string[] expected = ["completer", .. Enumerable.Range(0, listLength).Select(i => $"{i}"), "queued after the list"];
        Assert.True(log.SequenceEqual(expected), $"a list of {listLength} resumed from inside a continuation must run in registration order, each once, then what was queued after it: ran {Show(log)}");
    }

    [Fact]
    public void Waiter_that_relinks_itself_while_running_does_not_take_the_rest_of_the_queue_with_it()
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Waiter elsewhere = Step.Logging("a node of another list (must not run)", log);
            Step relinking = null!;
            relinking = new Step(() =>
            {
                log.Add("A");
                relinking.Next = elsewhere; // as a frame does when it awaits again and pushes itself onto another list
            });
            ScheduleChain([relinking, Step.Logging("B", log), Step.Logging("C", log)]);
            relinking.Next = null;
            return null;
        });

        Assert.True(
            log.SequenceEqual(["A", "B", "C"]),
            $"the trampoline must read a waiter's link before running it (the waiter may be linked elsewhere as it runs): ran {Show(log)}");
    }

    [Fact]
    public void Waiter_runs_with_its_link_cleared_and_keeps_no_link_into_the_queue()
    {
        (List<string> log, Exception? _) = OnDedicatedThread(log =>
        {
            Step? second = null;
            Step first = Step.Logging("first", log);
            second = new Step(() => log.Add(second!.Next is null ? "second detached" : "second still linked"));
            Step third = Step.Logging("third", log);
            ScheduleChain([first, second, third]);
            log.Add(first.Next is null && third.Next is null ? "all detached" : "a link was left behind");
            return null;
        });

        Assert.True(
            log.SequenceEqual(["first", "second detached", "third", "all detached"]),
            $"a waiter must be detached from the trampoline's queue before it runs (it may be linked elsewhere as it runs): saw {Show(log)}");
    }

    /// <summary>
    /// A frame's waiter list as completion takes it: LIFO (each registration pushed at the head), so its head is the
    /// last of <paramref name="length"/> waiters registered; waiter i logs "i".
    /// </summary>
    private static Waiter? WaiterList(int length, List<string> log)
    {
        Waiter? head = null;
        for (int i = 0; i < length; i++)
        {
            Waiter node = Step.Logging($"{i}", log);
            node.Next = head;
            head = node;
        }

        return head;
    }

    private static void ScheduleChain(Waiter[] chain)
    {
        for (int i = 0; i < chain.Length - 1; i++)
        {
            chain[i].Next = chain[i + 1];
        }

        chain[^1].Next = null;
        Trampoline.Schedule(chain[0], chain[^1]);
    }

    private static string Show(List<string> log) => log.Count == 0 ? "nothing" : string.Join(", ", log);

    /// <summary>Runs <paramref name="body"/> on a fresh thread (a fresh trampoline) and returns its log and result.</summary>
    private static (List<string> Log, Exception? Result) OnDedicatedThread(Func<List<string>, Exception?> body)
    {
        var log = new List<string>();
        Exception? result = DedicatedThread.Run(() => body(log), maxStackSize: 0);
        return (log, result);
    }

    /// <summary>A waiter whose continuation is an action.</summary>
    private sealed class Step(Action run) : Waiter
    {
        /// <summary>A step that logs its name, marked if it runs on another thread than the one that made it.</summary>
        public static Step Logging(string name, List<string> log)
        {
            int thread = Environment.CurrentManagedThreadId;
            return new Step(() => log.Add(Environment.CurrentManagedThreadId == thread ? name : $"{name} (on another thread)"));
        }

        public static Step Throwing(string name, List<string> log, Exception exception)
        {
            Step logging = Logging(name, log);
            return new Step(() =>
            {
                logging.Run();
                throw exception;
            });
        }

        internal override void Run() => run();
    }
}
