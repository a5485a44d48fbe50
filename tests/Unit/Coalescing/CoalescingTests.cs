using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>Callers of one key share one load while it is in flight; the key is free again when it finishes.</summary>
public class CoalescingTests
{
    [Fact]
    public void Callers_asking_for_a_key_in_flight_share_its_one_load()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> first = flight.RunAsync("user:7", loads.Start);
        SimpleTask<int> second = flight.RunAsync("user:7", loads.Start);
        SimpleTask<int> third = flight.RunAsync("user:7", loads.Start);

        Assert.True(loads.Starts == 1, $"three callers of one key should start one load, started {loads.Starts}");
        Assert.False(first.IsCompleted || second.IsCompleted || third.IsCompleted, "no caller should complete before the load");

        loads.Complete(0, 42);

        Assert.Equal(42, first.GetAwaiter().GetResult());
        Assert.Equal(42, second.GetAwaiter().GetResult());
        Assert.Equal(42, third.GetAwaiter().GetResult());
    }

    [Fact]
    public void Each_key_gets_its_own_load()
    {
        using var loads = new ControlledLoads<string>();
        var flight = new SingleFlight<string, string>();

        SimpleTask<string> a = flight.RunAsync("a", loads.Start);
        SimpleTask<string> b = flight.RunAsync("b", loads.Start);

        Assert.True(loads.Starts == 2, $"two keys should start two loads, started {loads.Starts}");
        Assert.Equal("a", loads.KeyOf(0));
        Assert.Equal("b", loads.KeyOf(1));
        loads.Complete(1, "for b");
        loads.Complete(0, "for a");
        Assert.Equal("for a", a.GetAwaiter().GetResult());
        Assert.Equal("for b", b.GetAwaiter().GetResult());
    }

    [Fact]
    public void Key_is_free_again_once_its_load_completes()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> before = flight.RunAsync("k", loads.Start);
        loads.Complete(0, 1);

        // The first handle is still unconsumed: completion, not the last release, frees the key.
        SimpleTask<int> after = flight.RunAsync("k", loads.Start);

        Assert.True(loads.Starts == 2, $"a call after the load completed should start a new load, started {loads.Starts}");
        Assert.False(after.IsCompleted, "the new call should wait for its own load, not reuse the finished outcome");
        loads.Complete(1, 2);
        Assert.Equal(1, before.GetAwaiter().GetResult());
        Assert.Equal(2, after.GetAwaiter().GetResult());
    }

    [Fact]
    public void Comparer_decides_which_keys_share_a_load()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>(StringComparer.OrdinalIgnoreCase);

        SimpleTask<int> upper = flight.RunAsync("KEY", loads.Start);
        SimpleTask<int> lower = flight.RunAsync("key", loads.Start);

        Assert.Same(StringComparer.OrdinalIgnoreCase, flight.Comparer);
        Assert.True(loads.Starts == 1, $"keys equal under the comparer should share a load, started {loads.Starts}");
        loads.Complete(0, 5);
        Assert.Equal(5, upper.GetAwaiter().GetResult());
        Assert.Equal(5, lower.GetAwaiter().GetResult());
    }

    [Fact]
    public void State_overload_passes_the_key_and_the_state_to_the_load()
    {
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> task = flight.RunAsync("four", 100, static (key, offset, _) => new SimpleTask<int>(key.Length + offset));

        Assert.Equal(104, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Load_that_completes_synchronously_returns_its_value_and_leaves_nothing_in_flight()
    {
        var flight = new SingleFlight<int, string>();

        SimpleTask<string> task = flight.RunAsync(3, static (key, _) => new SimpleTask<string>($"value {key}"));

        Assert.True(task.IsCompletedSuccessfully, "a synchronous load should complete its caller before RunAsync returns");
        Assert.Equal("value 3", task.GetAwaiter().GetResult());
        Assert.True(flight.InFlightCount == 0, $"nothing should be in flight after a synchronous load, found {flight.InFlightCount}");
    }

    [Fact]
    public void InFlightCount_counts_keys_whose_load_is_running()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> a1 = flight.RunAsync("a", loads.Start);
        SimpleTask<int> a2 = flight.RunAsync("a", loads.Start);
        SimpleTask<int> b = flight.RunAsync("b", loads.Start);
        Assert.True(flight.InFlightCount == 2, $"two keys are in flight, counted {flight.InFlightCount}");

        loads.Complete(0, 1);
        Assert.True(flight.InFlightCount == 1, $"one key is in flight after a's load completed, counted {flight.InFlightCount}");
        loads.Complete(1, 2);
        Assert.True(flight.InFlightCount == 0, $"no key is in flight after both completed, counted {flight.InFlightCount}");

        a1.Dispose();
        a2.Dispose();
        b.Dispose();
    }

    [Fact]
    public void Forget_makes_the_next_caller_start_a_new_load_while_earlier_callers_keep_waiting()
    {
        using var loads = new ControlledLoads<int>();
        var flight = new SingleFlight<string, int>();
        SimpleTask<int> early = flight.RunAsync("k", loads.Start);

        Assert.True(flight.Forget("k"), "Forget should report the load that was in flight");
        Assert.False(flight.Forget("k"), "a second Forget has nothing left to forget");
        SimpleTask<int> late = flight.RunAsync("k", loads.Start);

        Assert.True(loads.Starts == 2, $"the call after Forget should start a new load, started {loads.Starts}");
        Assert.True(flight.InFlightCount == 1, $"only the new load is in flight, counted {flight.InFlightCount}");
        loads.Complete(0, 1);
        Assert.True(flight.InFlightCount == 1, $"the forgotten load's completion must not remove the new entry, counted {flight.InFlightCount}");
        loads.Complete(1, 2);
        Assert.Equal(1, early.GetAwaiter().GetResult());
        Assert.Equal(2, late.GetAwaiter().GetResult());
    }

    [Fact]
    public void Async_method_load_and_async_method_callers_all_get_the_value()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var gate = new SimpleTaskCompletionSource<int>();
        var flight = new SingleFlight<string, int>();
        PromisePtr<int> gatePtr = gate.Task.ToPromisePtr();

        SimpleTask<int>[] callers = new SimpleTask<int>[8];
        for (int i = 0; i < callers.Length; i++)
        {
            callers[i] = CallAndAddOne(flight, gatePtr);
        }

        gate.SetResult(10);

        for (int i = 0; i < callers.Length; i++)
        {
            Assert.True(callers[i].IsCompletedSuccessfully, $"caller {i} should have resumed when the load completed");
            Assert.Equal(11, callers[i].GetAwaiter().GetResult());
        }

        gatePtr.Dispose();
    }

    [Fact]
    public void Leader_with_a_cancelable_token_gets_the_value_of_a_synchronous_load()
    {
        using var cancellation = new CancellationTokenSource();
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> task = flight.RunAsync("k", static (_, _) => new SimpleTask<int>(9), cancellation.Token);

        Assert.True(task.IsCompletedSuccessfully, "the leader should be completed by its own synchronous load");
        Assert.Equal(9, task.GetAwaiter().GetResult());
    }

    private static async SimpleTask<int> CallAndAddOne(SingleFlight<string, int> flight, PromisePtr<int> gate) =>
        await flight.RunAsync("shared", gate, static async (_, pointer, _) => await pointer) + 1;
}
