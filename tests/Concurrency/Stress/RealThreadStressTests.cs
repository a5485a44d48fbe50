using System.Diagnostics;
using SharedTask.Tests.Concurrency.Engine;
using Xunit.Abstractions;

namespace SharedTask.Tests.Concurrency.Stress;

/// <summary>
/// Real threads beside the controlled ones: the thread pool drives every public operation (completion sources, Share,
/// PromisePtr Copy/ShareTask/Dispose, async methods awaiting each other, foreign awaits, TrySet races) for a bounded
/// number of rounds and time, and every frame and node rented from the shipped pools must be back at the end. Finds
/// nothing the engine cannot, by design; it guards what the engine does not model (real memory ordering, real pools).
/// </summary>
public sealed class RealThreadStressTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromSeconds(10);

    private static int Rounds => (int)(250_000 * ExplorationBudget.FromEnvironment().Multiplier);

    [Fact]
    public async Task Shared_handles_awaited_across_threads_see_their_value_and_return_every_frame()
    {
        using var scope = new ShippedPoolScope();
        var clock = Stopwatch.StartNew();
        long operations = 0;
        int rounds = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2 };

        await Parallel.ForEachAsync(Enumerable.Range(0, Rounds), options, async (value, token) =>
        {
            if (clock.Elapsed > s_timeLimit)
            {
                return;
            }

            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> task = source.Task;
            PromisePtr<int> pointer = task.Share().ToPromisePtr();
            PromisePtr<int> copy = pointer.Copy();
            SimpleTask<int> relayed = Relay(task);
            SimpleTask<int> shared = pointer.ShareTask();
            Task completion = Task.Run(
                () =>
                {
                    source.SetResult(value);
                    source.Dispose();
                },
                token);

            int fromRelay = await relayed;
            int fromCopy = await copy;
            copy.Dispose();
            int fromShared = await shared;
            int fromPointer = await pointer;
            pointer.Dispose();
            await completion;

            if (fromRelay != value || fromCopy != value || fromShared != value || fromPointer != value)
            {
                throw new InvalidOperationException(
                    $"round {value} read {fromRelay}/{fromCopy}/{fromShared}/{fromPointer}: a handle observed another operation's value");
            }

            Interlocked.Add(ref operations, 16);
            Interlocked.Increment(ref rounds);
        });

        ReportAndAssertBalanced(rounds, operations, clock.Elapsed);
    }

    [Fact]
    public async Task TrySet_and_Dispose_races_on_real_threads_complete_once_and_return_every_frame()
    {
        using var scope = new ShippedPoolScope();
        var clock = Stopwatch.StartNew();
        long operations = 0;
        int rounds = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2 };

        await Parallel.ForEachAsync(Enumerable.Range(0, Rounds), options, async (value, token) =>
        {
            if (clock.Elapsed > s_timeLimit)
            {
                return;
            }

            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> awaited = source.Task;
            SimpleTask<int> abandoned = source.Task;
            int wins = 0;
            void TrySet()
            {
                if (source.TrySetResult(value))
                {
                    Interlocked.Increment(ref wins);
                }
            }

            Task first = Task.Run(TrySet, token);
            Task second = Task.Run(TrySet, token);
            Task owner = Task.Run(
                () =>
                {
                    abandoned.Dispose();
                    source.Dispose();
                },
                token);

            int observed;
            try
            {
                observed = await awaited;
            }
            catch (InvalidOperationException)
            {
                observed = -1; // the owner's Dispose completed it first (a broken promise)
            }

            await Task.WhenAll(first, second, owner);
            if (observed != value && observed != -1 || wins > 1 || (observed == value) != (wins == 1))
            {
                throw new InvalidOperationException(
                    $"round {value} observed {observed} with {wins} winning TrySet calls: one completion must win, and the awaiter see it");
            }

            Interlocked.Add(ref operations, 8);
            Interlocked.Increment(ref rounds);
        });

        ReportAndAssertBalanced(rounds, operations, clock.Elapsed);
    }

    [Fact]
    public async Task Fan_out_of_one_pointer_to_many_threads_resumes_every_awaiter_once()
    {
        using var scope = new ShippedPoolScope();
        var clock = Stopwatch.StartNew();
        long resumed = 0;
        int rounds = 0;
        const int Awaiters = 8;

        for (int value = 0; value < Rounds / 20 && clock.Elapsed < s_timeLimit; value++)
        {
            var source = new SimpleTaskCompletionSource<int>();
            PromisePtr<int> pointer = source.Task.ToPromisePtr();
            var waiting = new Task<int>[Awaiters];
            for (int i = 0; i < Awaiters; i++)
            {
                PromisePtr<int> copy = pointer.Copy();
                waiting[i] = Task.Run(async () =>
                {
                    int result = await Relay(copy.ToSimpleTask());
                    Interlocked.Increment(ref resumed);
                    return result;
                });
            }

            pointer.Dispose();
            source.SetResult(value);
            source.Dispose();
            int[] results = await Task.WhenAll(waiting);
            Assert.All(results, r => Assert.Equal(value, r));
            rounds++;
        }

        Assert.Equal((long)rounds * Awaiters, resumed);
        ReportAndAssertBalanced(rounds, resumed * 3, clock.Elapsed);
    }

    private static async SimpleTask<int> Relay(SimpleTask<int> task) => await task;

    /// <summary>Prints the run's counts, then requires that rounds ran and every rented frame or node came back.</summary>
    private void ReportAndAssertBalanced(int rounds, long operations, TimeSpan elapsed)
    {
        string line = $"stress: {rounds} rounds, {operations} public operations, {ShippedPoolScope.Rents} pool rents, " +
            $"{ShippedPoolScope.Outstanding} outstanding, {elapsed.TotalSeconds:0.0} s";
        output.WriteLine(line);
        ProgressLog.Write(line);
        Assert.True(rounds > 0, "no round ran");
        Assert.True(ShippedPoolScope.Outstanding == 0, $"{ShippedPoolScope.Outstanding} frames or nodes were rented and never returned");
    }
}
