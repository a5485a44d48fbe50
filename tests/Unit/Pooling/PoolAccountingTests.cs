using SharedTask.Frames;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Pooling;

/// <summary>
/// Every frame (and pooled ValueTask source) rented on a completion path is returned exactly once, whichever way the use
/// ends: success, fault, cancellation, a broken promise, a handle released while the body still runs; with the
/// consumer registered before completion (the asynchronous path: it is resumed) or reading after it (the synchronous
/// path). Each test's probe type gets pools from a <see cref="CheckingPoolProvider"/>, which records a second return or
/// a missing one instead of trusting the library.
/// </summary>
[Collection(PoolProviderSwappers.Name)]
public class PoolAccountingTests
{
    /// <summary>Whether the consumer registers before completion (and is resumed) or reads a completed operation.</summary>
    public enum Consumer
    {
        AwaitsBeforeCompletion,
        ReadsAfterCompletion,
    }

    private sealed class SucceedProbe;
    private sealed class FaultProbe;
    private sealed class CancelProbe;
    private sealed class SyncFaultProbe;
    private sealed class DisposedWhileRunningProbe;
    private sealed class SharedHandlesProbe;
    private sealed class AsTaskProbe;
    private sealed class AsValueTaskProbe;
    private sealed class SourceResultProbe;
    private sealed class SourceFaultProbe;
    private sealed class SourceCancelProbe;
    private sealed class BrokenPromiseProbe;
    private sealed class UnusedSourceProbe;
    private sealed class NoSuspensionProbe;

    [Fact]
    public void Async_method_that_completes_without_suspending_rents_nothing()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<NoSuspensionProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            SimpleTask<NoSuspensionProbe> task = Succeed<NoSuspensionProbe>(SimpleTask.FromResult(1));
            Assert.Null(task._frame);
            task.GetAwaiter().GetResult();
        });

        Assert.True(pools.Rented == before, $"a method that never suspended rented {pools.Rented - before} pooled object(s)");
    }

    [Theory]
    [InlineData(Consumer.AwaitsBeforeCompletion)]
    [InlineData(Consumer.ReadsAfterCompletion)]
    public void Async_method_that_succeeds_after_suspending_returns_its_frame_once(Consumer consumer) =>
        RunMethodScenario<SucceedProbe>(consumer, "an async method that succeeds after suspending", Succeed<SucceedProbe>);

    [Theory]
    [InlineData(Consumer.AwaitsBeforeCompletion)]
    [InlineData(Consumer.ReadsAfterCompletion)]
    public void Async_method_that_faults_after_suspending_returns_its_frame_once(Consumer consumer) =>
        RunMethodScenario<FaultProbe>(consumer, "an async method that faults after suspending", Fault<FaultProbe>);

    [Theory]
    [InlineData(Consumer.AwaitsBeforeCompletion)]
    [InlineData(Consumer.ReadsAfterCompletion)]
    public void Async_method_canceled_after_suspending_returns_its_frame_once(Consumer consumer) =>
        RunMethodScenario<CancelProbe>(consumer, "an async method canceled after suspending", Cancel<CancelProbe>);

    [Fact]
    public void Async_method_that_faults_before_suspending_returns_its_faulted_frame_once()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<SyncFaultProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            SimpleTask<SyncFaultProbe> task = FaultFirst<SyncFaultProbe>(SimpleTask.FromResult(1));
            Assert.True(task.IsFaulted);
            Assert.Throws<InvalidOperationException>(() => task.GetAwaiter().GetResult());
        });

        pools.AssertEveryRentReturnedOnce("an async method that faults before suspending", before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Async_method_whose_handle_is_disposed_while_it_runs_returns_its_frame_once_when_it_ends(bool fault)
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<DisposedWhileRunningProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            var gate = new SimpleTaskCompletionSource<int>();
            SimpleTask<DisposedWhileRunningProbe> task = fault
                ? Fault<DisposedWhileRunningProbe>(gate.Task)
                : Succeed<DisposedWhileRunningProbe>(gate.Task);
            task.Dispose();
            gate.SetResult(1);
            gate.Dispose();
        });

        pools.AssertEveryRentReturnedOnce(
            $"an async method whose only handle was disposed while it ran, then {(fault ? "faulted" : "succeeded")}", before);
    }

    [Fact]
    public void Async_method_awaited_through_shares_pointers_and_other_methods_returns_every_frame_once()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<SharedHandlesProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            var gate = new SimpleTaskCompletionSource<int>();
            SimpleTask<SharedHandlesProbe> task = Succeed<SharedHandlesProbe>(gate.Task);
            SimpleTask<int> byMethod = Observe(task.Share());
            PromisePtr<SharedHandlesProbe> pointer = task.Share().ToPromisePtr();
            SimpleTask<int> byPointer = ObserveTwice(pointer.Copy());
            gate.SetResult(1);
            gate.Dispose();
            Assert.Equal(1, byMethod.GetAwaiter().GetResult());
            Assert.Equal(2, byPointer.GetAwaiter().GetResult());
            _ = task.GetAwaiter().GetResult();
            pointer.Dispose();
        });

        pools.AssertEveryRentReturnedOnce("an async method awaited by another method, through a pointer and a share", before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pending_handle_turned_into_a_Task_returns_its_frame_once(bool fault)
    {
        Task<AsTaskProbe>? converted = null;
        SimpleTaskCompletionSource<int> gate = default;
        CheckingPoolProvider pools = CheckingPoolProvider.For<AsTaskProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            gate = new SimpleTaskCompletionSource<int>();
            converted = (fault ? Fault<AsTaskProbe>(gate.Task) : Succeed<AsTaskProbe>(gate.Task)).AsTask();
        });
        gate.SetResult(1);
        gate.Dispose();
        if (fault)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => converted!);
        }
        else
        {
            await converted!;
        }

        pools.AssertEveryRentReturnedOnce($"AsTask() of a pending method that {(fault ? "faults" : "succeeds")}", before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pending_handle_turned_into_a_ValueTask_returns_its_frame_and_its_source_once(bool fault)
    {
        ValueTask<AsValueTaskProbe> converted = default;
        SimpleTaskCompletionSource<int> gate = default;
        CheckingPoolProvider pools = CheckingPoolProvider.For<AsValueTaskProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            gate = new SimpleTaskCompletionSource<int>();
            converted = (fault ? Fault<AsValueTaskProbe>(gate.Task) : Succeed<AsValueTaskProbe>(gate.Task)).AsValueTask();
        });
        gate.SetResult(1);
        gate.Dispose();
        if (fault)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await converted);
        }
        else
        {
            await converted;
        }

        Assert.True(
            pools.RentedWhere(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTaskSourceWaiter<>)) > 0,
            "AsValueTask() of a pending operation was expected to rent a pooled source");
        pools.AssertEveryRentReturnedOnce($"AsValueTask() of a pending method that {(fault ? "faults" : "succeeds")}", before);
    }

    [Theory]
    [InlineData(Consumer.AwaitsBeforeCompletion)]
    [InlineData(Consumer.ReadsAfterCompletion)]
    public void Completion_source_set_with_a_result_returns_its_frame_once(Consumer consumer) =>
        RunSourceScenario<SourceResultProbe>(consumer, "a completion source set with a result", source => source.SetResult(new SourceResultProbe()));

    [Theory]
    [InlineData(Consumer.AwaitsBeforeCompletion)]
    [InlineData(Consumer.ReadsAfterCompletion)]
    public void Completion_source_set_with_an_exception_returns_its_frame_once(Consumer consumer) =>
        RunSourceScenario<SourceFaultProbe>(consumer, "a completion source set with an exception", source => source.SetException(new InvalidOperationException("fault")));

    [Theory]
    [InlineData(Consumer.AwaitsBeforeCompletion)]
    [InlineData(Consumer.ReadsAfterCompletion)]
    public void Completion_source_canceled_returns_its_frame_once(Consumer consumer) =>
        RunSourceScenario<SourceCancelProbe>(consumer, "a canceled completion source", source => source.SetCanceled());

    [Theory]
    [InlineData(Consumer.AwaitsBeforeCompletion)]
    [InlineData(Consumer.ReadsAfterCompletion)]
    public void Completion_source_disposed_before_completion_returns_its_frame_once(Consumer consumer) =>
        RunSourceScenario<BrokenPromiseProbe>(consumer, "a completion source disposed before it was completed (a broken promise)", source => source.Dispose());

    [Fact]
    public void Completion_source_disposed_without_ever_handing_out_a_task_returns_its_frame_once()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<UnusedSourceProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            var source = new SimpleTaskCompletionSource<UnusedSourceProbe>();
            source.Dispose();
            source.Dispose();
            Assert.False(source.TrySetResult(new UnusedSourceProbe()), "a disposed source must refuse completion");
        });

        pools.AssertEveryRentReturnedOnce("a completion source disposed (twice) without handing out a task", before);
    }

    private static void RunMethodScenario<T>(Consumer consumer, string scenario, Func<SimpleTask<int>, SimpleTask<T>> start)
    {
        string path = consumer == Consumer.AwaitsBeforeCompletion
            ? "awaited by another async method before it completed"
            : "read after it completed";
        CheckingPoolProvider pools = CheckingPoolProvider.For<T>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            var gate = new SimpleTaskCompletionSource<int>();
            SimpleTask<T> task = start(gate.Task);
            if (consumer == Consumer.AwaitsBeforeCompletion)
            {
                SimpleTask<int> observer = Observe(task);
                gate.SetResult(1);
                _ = observer.GetAwaiter().GetResult();
            }
            else
            {
                gate.SetResult(1);
                Assert.True(task.IsCompleted);
                _ = Observe(task).GetAwaiter().GetResult();
            }

            gate.Dispose();
        });

        Assert.True(
            pools.RentedWhere(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(StateMachineFrame<,>)) > 0,
            $"{scenario}: the method was expected to suspend and rent a frame");
        pools.AssertEveryRentReturnedOnce($"{scenario}, {path}", before);
    }

    private static void RunSourceScenario<T>(Consumer consumer, string scenario, Action<SimpleTaskCompletionSource<T>> complete)
    {
        string path = consumer == Consumer.AwaitsBeforeCompletion
            ? "its tasks awaited (slot and list) before completion"
            : "its tasks read after completion";
        CheckingPoolProvider pools = CheckingPoolProvider.For<T>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            var source = new SimpleTaskCompletionSource<T>();
            SimpleTask<T> first = source.Task;
            SimpleTask<T> second = source.Task;
            PromisePtr<T> pointer = source.Task.ToPromisePtr();
            if (consumer == Consumer.AwaitsBeforeCompletion)
            {
                SimpleTask<int> byFirst = Observe(first);
                SimpleTask<int> bySecond = Observe(second);
                SimpleTask<int> byPointer = ObserveTwice(pointer.Copy());
                complete(source);
                source.Dispose();
                _ = byFirst.GetAwaiter().GetResult();
                _ = bySecond.GetAwaiter().GetResult();
                _ = byPointer.GetAwaiter().GetResult();
            }
            else
            {
                complete(source);
                source.Dispose();
                _ = Observe(first).GetAwaiter().GetResult();
                second.Dispose();
                _ = ObserveTwice(pointer.Copy()).GetAwaiter().GetResult();
            }

            pointer.Dispose();
        });

        pools.AssertEveryRentReturnedOnce($"{scenario}, {path}", before);
    }

    private static async SimpleTask<T> Succeed<T>(SimpleTask<int> gate)
    {
        await gate;
        return default!;
    }

    private static async SimpleTask<T> Fault<T>(SimpleTask<int> gate)
    {
        await gate;
        throw new InvalidOperationException("fault after suspending");
    }

    private static async SimpleTask<T> Cancel<T>(SimpleTask<int> gate)
    {
        await gate;
        throw new OperationCanceledException("canceled after suspending");
    }

    private static async SimpleTask<T> FaultFirst<T>(SimpleTask<int> gate)
    {
        if (gate.IsCompleted)
        {
            throw new InvalidOperationException("fault before suspending");
        }

        await gate;
        return default!;
    }

    /// <summary>Awaits <paramref name="task"/> and reports 1 whatever its outcome (the outcome is not what these tests check).</summary>
    private static async SimpleTask<int> Observe<T>(SimpleTask<T> task)
    {
        try
        {
            await task;
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }

        return 1;
    }

    /// <summary>Awaits a pointer twice (the second await reads a completed operation), then disposes it.</summary>
    private static async SimpleTask<int> ObserveTwice<T>(PromisePtr<T> pointer)
    {
        int awaits = 0;
        for (int i = 0; i < 2; i++)
        {
            try
            {
                await pointer;
            }
            catch (InvalidOperationException)
            {
            }
            catch (OperationCanceledException)
            {
            }

            awaits++;
        }

        pointer.Dispose();
        return awaits;
    }
}
