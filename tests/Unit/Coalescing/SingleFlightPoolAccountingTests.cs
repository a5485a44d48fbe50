using SharedTask.Coalescing.Flights;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>
/// Every frame a SingleFlight rents (the flight, each caller with a cancelable token, the load's own frame) goes back to
/// its pool exactly once on every way a flight ends: a value or a fault, delivered synchronously (the load completed
/// before RunAsync returned) or asynchronously, callers that leave, and a load abandoned by every caller.
/// </summary>
[Collection(PoolProviderSwappers.Name)]
public class SingleFlightPoolAccountingTests
{
    /// <summary>Whether the load's outcome exists before RunAsync returns, or comes later.</summary>
    public enum Delivery
    {
        Synchronous,
        Asynchronous,
    }

    private sealed class ValueProbe;
    private sealed class FaultProbe;
    private sealed class ThrowingDelegateProbe;
    private sealed class CanceledLoadProbe;
    private sealed class AbandonedByDisposeProbe;
    private sealed class AbandonedByTokensProbe;
    private sealed class OneCallerCanceledProbe;
    private sealed class MethodLoadProbe;

    [Theory]
    [InlineData(Delivery.Synchronous)]
    [InlineData(Delivery.Asynchronous)]
    public void Flight_that_delivers_a_value_returns_every_frame_once(Delivery delivery) =>
        RunFlight<ValueProbe>(delivery, "a flight that delivers a value", static load => load.SetResult(new ValueProbe()));

    [Theory]
    [InlineData(Delivery.Synchronous)]
    [InlineData(Delivery.Asynchronous)]
    public void Flight_whose_load_faults_returns_every_frame_once(Delivery delivery) =>
        RunFlight<FaultProbe>(delivery, "a flight whose load faults", static load => load.SetException(new InvalidOperationException("load fault")));

    [Theory]
    [InlineData(Delivery.Synchronous)]
    [InlineData(Delivery.Asynchronous)]
    public void Flight_whose_load_is_canceled_returns_every_frame_once(Delivery delivery) =>
        RunFlight<CanceledLoadProbe>(delivery, "a flight whose load is canceled", static load => load.SetCanceled());

    [Fact]
    public void Flight_whose_load_delegate_throws_returns_every_frame_once()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<ThrowingDelegateProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            using var token = new CancellationTokenSource();
            var flights = new SingleFlight<string, ThrowingDelegateProbe>();
            Func<string, CancellationToken, SimpleTask<ThrowingDelegateProbe>> load =
                static (_, _) => throw new InvalidOperationException("the load delegate threw");
            SimpleTask<ThrowingDelegateProbe> plain = flights.RunAsync("key", load);
            SimpleTask<ThrowingDelegateProbe> cancelable = flights.RunAsync("key", load, token.Token);
            Assert.Throws<InvalidOperationException>(() => plain.GetAwaiter().GetResult());
            Assert.Throws<InvalidOperationException>(() => cancelable.GetAwaiter().GetResult());
        });

        pools.AssertEveryRentReturnedOnce("a flight whose load delegate threw", before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Flight_whose_async_method_load_ends_after_suspending_returns_every_frame_once(bool fault)
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<MethodLoadProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            using var token = new CancellationTokenSource();
            var gate = new SimpleTaskCompletionSource<int>();
            var flights = new SingleFlight<string, MethodLoadProbe>();
            Func<string, (SimpleTaskCompletionSource<int> Gate, bool Fault), CancellationToken, SimpleTask<MethodLoadProbe>> load =
                static (_, state, _) => LoadAfter<MethodLoadProbe>(state.Gate.Task, state.Fault);
            SimpleTask<MethodLoadProbe> plain = flights.RunAsync("key", (gate, fault), load);
            SimpleTask<MethodLoadProbe> cancelable = flights.RunAsync("key", (gate, fault), load, token.Token);
            gate.SetResult(1);
            gate.Dispose();
            ReadIgnoringOutcome(plain);
            ReadIgnoringOutcome(cancelable);
        });

        pools.AssertEveryRentReturnedOnce($"a flight whose async-method load {(fault ? "faults" : "succeeds")} after suspending", before);
    }

    [Fact]
    public void Flight_abandoned_by_every_caller_disposing_returns_every_frame_once_when_its_load_ends()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<AbandonedByDisposeProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            using var loads = new ControlledLoads<AbandonedByDisposeProbe>();
            using var token = new CancellationTokenSource();
            var flights = new SingleFlight<string, AbandonedByDisposeProbe>();
            SimpleTask<AbandonedByDisposeProbe> plain = flights.RunAsync("key", loads.Start);
            SimpleTask<AbandonedByDisposeProbe> cancelable = flights.RunAsync("key", loads.Start, token.Token);
            plain.Dispose();
            cancelable.Dispose();
            Assert.True(loads.TokenOf(0).IsCancellationRequested, "every caller left: the load's token should be canceled");
            pools.AssertOutstanding("after every caller left while the load runs (the flight, held by its driver until the load ends, and the load's frame)", 2);
            loads.Cancel(0, loads.TokenOf(0));
        });

        pools.AssertEveryRentReturnedOnce("a flight abandoned by every caller disposing its handle", before);
    }

    [Fact]
    public void Flight_abandoned_by_every_callers_token_returns_every_frame_once_when_its_load_ends()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<AbandonedByTokensProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            using var loads = new ControlledLoads<AbandonedByTokensProbe>();
            using var first = new CancellationTokenSource();
            using var second = new CancellationTokenSource();
            var flights = new SingleFlight<string, AbandonedByTokensProbe>();
            SimpleTask<AbandonedByTokensProbe> a = flights.RunAsync("key", loads.Start, first.Token);
            SimpleTask<AbandonedByTokensProbe> b = flights.RunAsync("key", loads.Start, second.Token);
            first.Cancel();
            second.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => a.GetAwaiter().GetResult());
            Assert.ThrowsAny<OperationCanceledException>(() => b.GetAwaiter().GetResult());
            Assert.True(loads.TokenOf(0).IsCancellationRequested, "every caller's token fired: the load's token should be canceled");
            loads.Complete(0, new AbandonedByTokensProbe());
        });

        pools.AssertEveryRentReturnedOnce("a flight abandoned by every caller's token, its load finishing afterwards", before);
    }

    [Fact]
    public void Caller_canceled_while_others_wait_returns_its_frame_once_and_the_flight_goes_on()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<OneCallerCanceledProbe>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            using var loads = new ControlledLoads<OneCallerCanceledProbe>();
            using var leaving = new CancellationTokenSource();
            using var staying = new CancellationTokenSource();
            var flights = new SingleFlight<string, OneCallerCanceledProbe>();
            SimpleTask<OneCallerCanceledProbe> canceled = flights.RunAsync("key", loads.Start, leaving.Token);
            SimpleTask<OneCallerCanceledProbe> waiting = flights.RunAsync("key", loads.Start, staying.Token);
            SimpleTask<OneCallerCanceledProbe> plain = flights.RunAsync("key", loads.Start);
            leaving.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => canceled.GetAwaiter().GetResult());
            Assert.False(loads.TokenOf(0).IsCancellationRequested, "two callers still wait: the load must go on");
            loads.Complete(0, new OneCallerCanceledProbe());
            Assert.NotNull(waiting.GetAwaiter().GetResult());
            Assert.NotNull(plain.GetAwaiter().GetResult());
        });

        pools.AssertEveryRentReturnedOnce("a flight one of whose callers was canceled while the others waited", before);
    }

    /// <summary>
    /// Two plain callers and two with cancelable tokens; the load's outcome comes from <paramref name="complete"/>, before
    /// the first RunAsync returns (synchronous) or after every caller registered (asynchronous).
    /// </summary>
    private static void RunFlight<T>(Delivery delivery, string scenario, Action<SimpleTaskCompletionSource<T>> complete)
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<T>();
        int before = pools.Rented;
        pools.Run(() =>
        {
            using var scope = NoSynchronizationContext.Enter();
            using var token = new CancellationTokenSource();
            var flights = new SingleFlight<string, T>();
            var load = new SimpleTaskCompletionSource<T>();
            if (delivery == Delivery.Synchronous)
            {
                complete(load);
            }

            SimpleTask<T>[] callers =
            [
                flights.RunAsync("key", load, static (_, load, _) => load.Task),
                flights.RunAsync("key", load, static (_, load, _) => load.Task, token.Token),
            ];
            SimpleTask<int> awaiting = AwaitBoth(
                flights.RunAsync("key", load, static (_, load, _) => load.Task),
                flights.RunAsync("key", load, static (_, load, _) => load.Task, token.Token));
            if (delivery == Delivery.Asynchronous)
            {
                complete(load);
            }

            load.Dispose();
            foreach (SimpleTask<T> caller in callers)
            {
                ReadIgnoringOutcome(caller);
            }

            Assert.Equal(2, awaiting.GetAwaiter().GetResult());
        });

        Assert.True(
            pools.RentedWhere(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(FlightFrame<,>)) > 0,
            $"{scenario}: a flight frame was expected to be rented");
        pools.AssertEveryRentReturnedOnce($"{scenario} ({delivery.ToString().ToLowerInvariant()} delivery)", before);
    }

    private static async SimpleTask<int> AwaitBoth<T>(SimpleTask<T> first, SimpleTask<T> second)
    {
        int awaited = 0;
        foreach (SimpleTask<T> caller in new[] { first, second })
        {
            try
            {
                await caller;
            }
            catch (InvalidOperationException)
            {
            }
            catch (OperationCanceledException)
            {
            }

            awaited++;
        }

        return awaited;
    }

    private static void ReadIgnoringOutcome<T>(SimpleTask<T> caller)
    {
        try
        {
            _ = caller.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async SimpleTask<T> LoadAfter<T>(SimpleTask<int> gate, bool fault)
    {
        await gate;
        if (fault)
        {
            throw new InvalidOperationException("the load faulted after suspending");
        }

        return default!;
    }
}
