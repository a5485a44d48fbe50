using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>A caller that joins a load in flight allocates nothing in steady state, with or without a token.</summary>
public class CoalescingAllocationTests
{
    private const int Rounds = 200;
    private const int Joiners = 16;

    /// <summary>
    /// Bytes this thread allocates per joining caller: each round starts one load, lets <see cref="Joiners"/> callers
    /// join it (each awaiting it in an async method), completes it, and consumes every result. A round with no joiners is
    /// measured too and subtracted, so the load's own cost (the dictionary node, the completion source) drops out.
    /// </summary>
    private static double BytesPerJoiningCaller(CancellationToken callerToken)
    {
        using var scope = NoSynchronizationContext.Enter();
        var flight = new SingleFlight<string, int>();
        var callers = new SimpleTask<int>[Joiners];

        long RoundsWith(int joiners)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < Rounds; round++)
            {
                var source = new SimpleTaskCompletionSource<int>();
                SimpleTask<int> leader = flight.RunAsync(
                    "hot", source, static (_, source, _) => source.Task, CancellationToken.None);
                for (int i = 0; i < joiners; i++)
                {
                    callers[i] = AwaitOnce(flight, callerToken);
                }

                source.SetResult(round);
                source.Dispose();
                leader.GetAwaiter().GetResult();
                for (int i = 0; i < joiners; i++)
                {
                    callers[i].GetAwaiter().GetResult();
                }
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // Warm up: fill the pools and the token source's registration free list.
        RoundsWith(Joiners);
        RoundsWith(0);

        long withJoiners = RoundsWith(Joiners);
        long alone = RoundsWith(0);
        return (withJoiners - alone) / (double)(Rounds * Joiners);
    }

    private static async SimpleTask<int> AwaitOnce(SingleFlight<string, int> flight, CancellationToken cancellationToken) =>
        await flight.RunAsync("hot", 0, static (_, _, _) => throw new InvalidOperationException("a joiner must not start a load"), cancellationToken);

    [Fact]
    public void Joining_callers_without_a_token_allocate_nothing_in_steady_state()
    {
        double bytes = BytesPerJoiningCaller(CancellationToken.None);

        Assert.True(bytes == 0, $"expected 0 bytes per joining caller, measured {bytes:F2}");
    }

    [Fact]
    public void Joining_callers_with_a_cancelable_token_allocate_nothing_in_steady_state()
    {
        using var cancellation = new CancellationTokenSource();

        double bytes = BytesPerJoiningCaller(cancellation.Token);

        Assert.True(bytes == 0, $"expected 0 bytes per joining caller with a token (pooled caller frame, reused registration node), measured {bytes:F2}");
    }
}
