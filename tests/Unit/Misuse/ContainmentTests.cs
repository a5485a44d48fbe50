using System.Runtime.CompilerServices;
using SharedTask.Frames;
using SharedTask.Tests.Unit.Coalescing;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Misuse;

/// <summary>
/// Misuse stays with the misuser: a plain struct copy used twice, a double release, a misused AsValueTask or a throwing
/// continuation is an exception where it happened, and never crashes the process, leaks a frame, strands an awaiter,
/// or touches another caller's operation. One test per way this was seen to go wrong.
/// </summary>
public class ContainmentTests
{
    private readonly record struct CrashProbe(int Value);

    private readonly record struct ThrowingContinuationProbe(int Value);

    private readonly record struct PostProbe(int Value);

    [Fact]
    public async Task Two_plain_copies_awaited_from_Task_methods_while_the_operation_completes_never_crash_the_process()
    {
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() => new SimpleTaskCompletionSource<CrashProbe>().Dispose());
        var pool = provider.PoolOf<SourceFrame<CrashProbe>>()!;
        int rentedBefore = pool.Rented;

        // A copy that went stale between IsCompleted and OnCompleted used to throw out of OnCompleted, which a Task
        // method's builder rethrows on the thread pool: the process died within a few thousand rounds.
        const int Rounds = 3000;
        for (int round = 0; round < Rounds; round++)
        {
            var source = new SimpleTaskCompletionSource<CrashProbe>();
            SimpleTask<CrashProbe> task = source.Task, copy = task;
            Task<int> first = Task.Run(async () => (await task).Value);
            Task<int> second = Task.Run(async () => (await copy).Value);
            source.SetResult(new CrashProbe(1));
            source.Dispose();

            int successes = 0;
            foreach (Task<int> awaiter in new[] { first, second })
            {
                try
                {
                    Assert.Equal(1, await awaiter);
                    successes++;
                }
                catch (Exception misuse) when (misuse is ObjectDisposedException or InvalidOperationException)
                {
                    // The second use of the one reference: reported to that awaiter.
                }
            }

            Assert.True(successes == 1, $"round {round}: exactly one copy owns the reference and gets the value, saw {successes}");
        }

        Assert.True(pool.Rented - rentedBefore == Rounds, $"every round rents one frame, saw {pool.Rented - rentedBefore}");
        Assert.True(pool.Returned == pool.Rented, $"every frame must go back exactly once: {pool.Rented} rented, {pool.Returned} returned");
    }

    [Fact]
    public void Double_release_through_a_plain_copy_while_the_method_runs_throws_and_never_runs_another_call()
    {
        using var scope = NoSynchronizationContext.Enter();
        var gate1 = new TaskCompletionSource();
        var gate2 = new TaskCompletionSource();
        SimpleTask<int> call1 = WaitOn(gate1.Task, 1), copy = call1;

#pragma warning disable SHTASK001, SHTASK003 // The misuse under test: one reference released through the handle and its plain copy.
        call1.Dispose();
#pragma warning restore SHTASK001, SHTASK003
        Assert.Throws<ObjectDisposedException>(() => copy.Dispose());

        // The body of call 1 still runs, so its frame is not free: an unrelated call must get another one.
        SimpleTask<int> call2 = WaitOn(gate2.Task, 2);
        Assert.NotSame(call1._frame, call2._frame);
        gate1.SetResult();
        Assert.False(call2.IsCompleted, "completing call 1 must not run call 2's state machine");

        gate2.SetResult();
        Assert.Equal(2, call2.GetAwaiter().GetResult());
    }

    [Fact]
    public void Double_release_of_a_SingleFlight_handle_throws_and_the_other_callers_flight_goes_on()
    {
        using var loads = new ControlledLoads<int>();
        var flights = new SingleFlight<string, int>();
        SimpleTask<int> mine = flights.RunAsync("k", loads.Start), copy = mine;
        SimpleTask<int> theirs = flights.RunAsync("k", loads.Start);
        Assert.Equal(1, loads.Starts);

#pragma warning disable SHTASK001, SHTASK003 // The misuse under test: one caller's handle released through itself and its plain copy.
        mine.Dispose();
#pragma warning restore SHTASK001, SHTASK003
        Assert.Throws<ObjectDisposedException>(() => copy.Dispose());

        Assert.False(loads.TokenOf(0).IsCancellationRequested, "another caller still waits: its load must not be canceled");
        loads.Complete(0, 5);
        Assert.Equal(5, theirs.GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Reading_a_pending_AsValueTask_result_throws_and_leaves_its_source_to_its_own_operation()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var misused = new SimpleTaskCompletionSource<int>();
        using var bystander = new SimpleTaskCompletionSource<int>();
        ValueTask<int> early = misused.Task.AsValueTask();

#pragma warning disable CA2012 // The misuse under test: reading a ValueTask's result before it completed.
        Assert.Throws<InvalidOperationException>(() => early.Result);
#pragma warning restore CA2012

        // The next, correct AsValueTask must not get the source the misuse used to give back too soon.
        ValueTask<int> correct = bystander.Task.AsValueTask();
        misused.SetResult(1);
        bystander.SetResult(2);
        Assert.Equal(2, await correct);
        Assert.Equal(1, await early);
    }

#pragma warning disable CA2012 // The misuse under test in the next two tests: a ValueTask consumed more than once.
    [Fact]
    public async Task Reading_an_AsValueTask_result_twice_throws_and_its_source_serves_later_ValueTasks_once_each()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var first = new SimpleTaskCompletionSource<int>();
        ValueTask<int> read = first.Task.AsValueTask();
        first.SetResult(1);
        Assert.True(read.IsCompleted);
        Assert.Equal(1, read.Result);

        Assert.Throws<InvalidOperationException>(() => read.Result);

        using var second = new SimpleTaskCompletionSource<int>();
        using var third = new SimpleTaskCompletionSource<int>();
        ValueTask<int> a = second.Task.AsValueTask();
        ValueTask<int> b = third.Task.AsValueTask();
        second.SetResult(2);
        third.SetResult(3);
        Assert.Equal(2, await a);
        Assert.Equal(3, await b);
    }

    [Fact]
    public void A_stale_ValueTask_from_AsValueTask_reports_its_misuse_from_GetResult_not_from_OnCompleted()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var source = new SimpleTaskCompletionSource<int>();
        ValueTask<int> value = source.Task.AsValueTask();
        source.SetResult(1);
        Assert.True(value.IsCompleted);
        Assert.Equal(1, value.Result);
        using var ran = new ManualResetEventSlim();
        ValueTaskAwaiter<int> stale = value.GetAwaiter();

        stale.UnsafeOnCompleted(ran.Set);

        Assert.True(ran.Wait(TimeSpan.FromSeconds(30)), "the continuation of a stale ValueTask must still run");
        Assert.Throws<InvalidOperationException>(() => stale.GetResult());
    }
#pragma warning restore CA2012

    [Fact]
    public void A_throwing_continuation_reaches_the_completer_and_the_frame_still_returns_to_its_pool()
    {
        using var scope = NoSynchronizationContext.Enter();
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() => new SimpleTaskCompletionSource<ThrowingContinuationProbe>().Dispose());
        var pool = provider.PoolOf<SourceFrame<ThrowingContinuationProbe>>()!;
        int returnedBefore = pool.Returned;

        var source = new SimpleTaskCompletionSource<ThrowingContinuationProbe>();
        SimpleTask<ThrowingContinuationProbe> thrower = source.Task;
        SimpleTask<ThrowingContinuationProbe> bystander = source.Task;
        SimpleTask<ThrowingContinuationProbe>.Awaiter throwing = thrower.GetAwaiter();
        throwing.UnsafeOnCompleted(() =>
        {
            throwing.GetResult();
            throw new InvalidOperationException("boom");
        });
        bool bystanderRan = false;
        SimpleTask<ThrowingContinuationProbe>.Awaiter other = bystander.GetAwaiter();
        other.UnsafeOnCompleted(() => bystanderRan = other.GetResult().Value == 7);

        var thrown = Assert.Throws<InvalidOperationException>(() => source.SetResult(new ThrowingContinuationProbe(7)));
        Assert.Equal("boom", thrown.Message);
        Assert.True(bystanderRan, "every other waiter must still run");
        source.Dispose();

        Assert.True(pool.Returned == returnedBefore + 1, $"the frame must go back once every reference is gone, saw {pool.Returned - returnedBefore} returns");
    }

    [Fact]
    public async Task A_context_whose_Post_throws_reaches_the_completer_and_its_continuation_still_runs()
    {
        CountingPoolProvider provider = CountingPoolProvider.InstallFor(() => new SimpleTaskCompletionSource<PostProbe>().Dispose());
        var pool = provider.PoolOf<SourceFrame<PostProbe>>()!;
        int returnedBefore = pool.Returned;
        var source = new SimpleTaskCompletionSource<PostProbe>();
        var resumed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        SimpleTask<PostProbe> task = source.Task;

        DedicatedThread.Run(
            () =>
            {
                SynchronizationContext.SetSynchronizationContext(new RefusingContext());
                SimpleTask<PostProbe>.Awaiter awaiter = task.GetAwaiter(); // captures the refusing context
                awaiter.UnsafeOnCompleted(() => resumed.SetResult(awaiter.GetResult().Value));
                return 0;
            },
            maxStackSize: 0);

        using (NoSynchronizationContext.Enter())
        {
            Assert.Throws<NotSupportedException>(() => source.SetResult(new PostProbe(3)));
        }

        Assert.Equal(3, await resumed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        source.Dispose();
        Assert.True(pool.Returned == returnedBefore + 1, "the refused continuation released its reference");
    }

    [Fact]
    public async Task An_await_of_a_PromisePtr_disposed_while_it_waits_ends_with_ObjectDisposedException_on_every_frame_kind()
    {
        using var scope = NoSynchronizationContext.Enter();

        // A SingleFlight flight.
        using var loads = new ControlledLoads<int>();
        var flights = new SingleFlight<string, int>();
        PromisePtr<int> flightPointer = flights.RunAsync("k", loads.Start).ToPromisePtr();
        SimpleTask<int> flightAwait = AwaitPointer(flightPointer);
        flightPointer.Dispose();
        loads.Complete(0, 1);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await flightAwait.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        // An async method.
        using var gate = new SimpleTaskCompletionSource<int>();
        PromisePtr<int> methodPointer = Plus(gate.Task, 1).ToPromisePtr();
        SimpleTask<int> methodAwait = AwaitPointer(methodPointer);
        methodPointer.Dispose();
        gate.SetResult(1);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await methodAwait.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        // A completion source.
        using var source = new SimpleTaskCompletionSource<int>();
        PromisePtr<int> sourcePointer = source.Task.ToPromisePtr();
        SimpleTask<int> sourceAwait = AwaitPointer(sourcePointer);
        sourcePointer.Dispose();
        source.SetResult(1);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await sourceAwait.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_source_with_the_most_counted_references_still_completes_and_resumes_its_awaiters()
    {
        using var scope = NoSynchronizationContext.Enter();
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;
        var frame = handle._frame!;
        SimpleTask<int> waiting = Plus(handle, 1);
        int counted = frame.CountedReferences;
        frame.SetCountForTesting(Frames.FrameState.MaxCount);

        source.SetResult(1); // completing takes no reference, so a full count cannot stop it

        Assert.Equal(2, waiting.GetAwaiter().GetResult());
        frame.SetCountForTesting(counted - 1); // what the completion dropped: the awaiter's registration
        source.Dispose();
    }

    [Fact]
    public void A_stale_copy_awaited_after_its_frame_was_reused_resumes_at_once_and_never_waits_for_the_new_operation()
    {
        using var scope = NoSynchronizationContext.Enter();
        var old = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = old.Task, staleCopy = handle;
        old.SetResult(1);
        old.Dispose();
        Assert.Equal(1, handle.GetAwaiter().GetResult());
        using var reuse = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> fresh = reuse.Task;
        Assert.Same(handle._frame, fresh._frame);
        using var ran = new ManualResetEventSlim();
#pragma warning disable SHTASK001, SHTASK003 // The misuse under test: a plain copy awaited after the handle was consumed.
        SimpleTask<int>.Awaiter stale = staleCopy.GetAwaiter();
#pragma warning restore SHTASK001, SHTASK003

        stale.UnsafeOnCompleted(ran.Set);

        Assert.True(ran.Wait(TimeSpan.FromSeconds(30)), "a stale registration must be refused and scheduled, not parked in the new use");
        Assert.Throws<ObjectDisposedException>(() => stale.GetResult());
        reuse.SetResult(2);
        Assert.Equal(2, fresh.GetAwaiter().GetResult());
    }

    private static async SimpleTask<int> WaitOn(Task gate, int id)
    {
        await gate;
        return id;
    }

    private static async SimpleTask<int> Plus(SimpleTask<int> task, int add) => await task + add;

    private static async SimpleTask<int> AwaitPointer(PromisePtr<int> pointer) => await pointer;

    private sealed class RefusingContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => throw new NotSupportedException("this context takes no work");
    }
}
