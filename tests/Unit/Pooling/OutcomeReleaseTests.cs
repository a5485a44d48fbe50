using System.Runtime.CompilerServices;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Pooling;

/// <summary>
/// After the last reference to a finished use goes, its frame sits in a pool until it is rented again, possibly never:
/// it must not keep that use's result, exception or key reachable meanwhile. Each test finishes one use of one frame kind
/// inside a method that returns only weak references, collects fully, and checks the outcome is gone while the frame
/// itself is still alive in its pool (otherwise the test could not tell).
/// </summary>
public class OutcomeReleaseTests
{
    private sealed class Payload
    {
        public byte[] Bytes { get; } = new byte[64 * 1024];
    }

    /// <summary>A weak reference to what the finished use produced, and one to the frame that carried it.</summary>
    private readonly record struct Finished(WeakReference Outcome, WeakReference Frame);

    [Fact]
    public void Async_method_frame_lets_its_result_go_after_the_last_release() =>
        AssertOutcomeCollectable(FinishAsyncMethod(fault: false), "an async method's frame", "result");

    [Fact]
    public void Async_method_frame_lets_its_exception_go_after_the_last_release() =>
        AssertOutcomeCollectable(FinishAsyncMethod(fault: true), "an async method's frame", "exception");

    [Fact]
    public void Completion_source_frame_lets_its_result_go_after_the_last_release() =>
        AssertOutcomeCollectable(FinishCompletionSource(fault: false), "a completion source's frame", "result");

    [Fact]
    public void Completion_source_frame_lets_its_exception_go_after_the_last_release() =>
        AssertOutcomeCollectable(FinishCompletionSource(fault: true), "a completion source's frame", "exception");

    [Fact]
    public void FromException_frame_lets_its_exception_go_after_the_last_release() =>
        AssertOutcomeCollectable(FinishFromException(), "a SimpleTask.FromException frame", "exception");

    [Fact]
    public void SingleFlight_flight_frame_lets_its_result_go_after_the_last_caller_released() =>
        AssertOutcomeCollectable(FinishFlight(fault: false, cancelableCallers: false), "a SingleFlight flight frame", "result");

    [Fact]
    public void SingleFlight_flight_frame_lets_its_exception_go_after_the_last_caller_released() =>
        AssertOutcomeCollectable(FinishFlight(fault: true, cancelableCallers: false), "a SingleFlight flight frame", "exception");

    [Fact]
    public void SingleFlight_caller_frame_lets_its_result_go_after_its_handle_released() =>
        AssertOutcomeCollectable(FinishFlight(fault: false, cancelableCallers: true), "a SingleFlight caller frame (cancelable token)", "result");

    [Fact]
    public void SingleFlight_caller_frame_lets_its_exception_go_after_its_handle_released() =>
        AssertOutcomeCollectable(FinishFlight(fault: true, cancelableCallers: true), "a SingleFlight caller frame (cancelable token)", "exception");

    [Fact]
    public void SingleFlight_flight_frame_lets_its_key_go_after_the_flight_ended() =>
        AssertOutcomeCollectable(FinishFlightKeepingKey(), "a SingleFlight flight frame", "key");

    [Fact]
    public void AsValueTask_source_lets_its_result_go_after_the_ValueTask_was_read() =>
        AssertOutcomeCollectable(FinishValueTask(fault: false), "the pooled source behind AsValueTask()", "result");

    [Fact]
    public void AsValueTask_source_lets_its_exception_go_after_the_ValueTask_was_read() =>
        AssertOutcomeCollectable(FinishValueTask(fault: true), "the pooled source behind AsValueTask()", "exception");

    private static void AssertOutcomeCollectable(Finished finished, string frame, string outcome)
    {
        CollectFully();
        Assert.True(
            finished.Frame.IsAlive,
            $"{frame} was not kept by its pool after the use, so this test cannot tell whether it lets its {outcome} go");
        Assert.False(
            finished.Outcome.IsAlive,
            $"{frame} keeps the {outcome} of its finished use reachable after the last release (found alive after a full " +
            "GC while the frame waits in its pool): a pooled frame must clear what its use left when the use ends");
    }

    private static void CollectFully()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Finished FinishAsyncMethod(bool fault)
    {
        using var scope = NoSynchronizationContext.Enter();
        var gate = new SimpleTaskCompletionSource<int>();
        var produced = new WeakReference[1];
        SimpleTask<Payload> task = Produce(gate.Task, fault, produced);
        SimpleTask<Payload> share = task.Share();
        gate.SetResult(1);
        gate.Dispose();
        Read(task);
        Read(share);
        return new Finished(produced[0], new WeakReference(task._frame));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async SimpleTask<Payload> Produce(SimpleTask<int> gate, bool fault, WeakReference[] produced)
    {
        await gate;
        if (fault)
        {
            var error = new InvalidOperationException("the use's exception");
            produced[0] = new WeakReference(error);
            throw error;
        }

        var payload = new Payload();
        produced[0] = new WeakReference(payload);
        return payload;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Finished FinishCompletionSource(bool fault)
    {
        using var scope = NoSynchronizationContext.Enter();
        var source = new SimpleTaskCompletionSource<Payload>();
        SimpleTask<Payload> first = source.Task;
        PromisePtr<Payload> pointer = source.Task.ToPromisePtr();
        WeakReference outcome = Complete(source, fault);
        source.Dispose();
        Read(first);
        ReadAndDispose(ref pointer);
        return new Finished(outcome, new WeakReference(first._frame));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Finished FinishFromException()
    {
        var error = new InvalidOperationException("the use's exception");
        SimpleTask<Payload> task = SimpleTask.FromException<Payload>(error);
        Read(task);
        return new Finished(new WeakReference(error), new WeakReference(task._frame));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Finished FinishFlight(bool fault, bool cancelableCallers)
    {
        using var scope = NoSynchronizationContext.Enter();
        using var tokens = new CancellationTokenSource();
        CancellationToken token = cancelableCallers ? tokens.Token : CancellationToken.None;
        var flights = new SingleFlight<string, Payload>();
        var load = new SimpleTaskCompletionSource<Payload>();
        SimpleTask<Payload> first = flights.RunAsync("key", load, static (_, load, _) => load.Task, token);
        SimpleTask<Payload> second = flights.RunAsync("key", load, static (_, load, _) => load.Task, token);
        WeakReference outcome = Complete(load, fault);
        load.Dispose();
        Read(first);
        Read(second);
        return new Finished(outcome, new WeakReference(first._frame));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Finished FinishFlightKeepingKey()
    {
        using var scope = NoSynchronizationContext.Enter();
        var flights = new SingleFlight<Payload, Payload>();
        var key = new Payload();
        var load = new SimpleTaskCompletionSource<Payload>();
        SimpleTask<Payload> caller = flights.RunAsync(key, load, static (_, load, _) => load.Task);
        load.SetResult(new Payload());
        load.Dispose();
        Read(caller);
        return new Finished(new WeakReference(key), new WeakReference(caller._frame));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Finished FinishValueTask(bool fault)
    {
        using var scope = NoSynchronizationContext.Enter();
        var source = new SimpleTaskCompletionSource<Payload>();
        SimpleTask<Payload> task = source.Task;
        ValueTaskSourceWaiter<Payload> valueTaskSource = task.StartValueTask(out _, out short token)!;
        var valueTask = new ValueTask<Payload>(valueTaskSource, token);
        WeakReference outcome = Complete(source, fault);
        source.Dispose();
        try
        {
            _ = valueTask.Result;
        }
        catch (InvalidOperationException)
        {
        }

        return new Finished(outcome, new WeakReference(valueTaskSource));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Complete(SimpleTaskCompletionSource<Payload> source, bool fault)
    {
        if (fault)
        {
            var error = new InvalidOperationException("the use's exception");
            source.SetException(error);
            return new WeakReference(error);
        }

        var payload = new Payload();
        source.SetResult(payload);
        return new WeakReference(payload);
    }

    /// <summary>Consumes a handle as an awaiting caller would, dropping what it read.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Read(SimpleTask<Payload> task)
    {
        try
        {
            _ = task.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReadAndDispose(ref PromisePtr<Payload> pointer)
    {
        try
        {
            _ = pointer.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
        }

        pointer.Dispose();
    }
}
