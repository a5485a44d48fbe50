using System.Diagnostics;
using SharedTask.Coalescing.Flights;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>
/// Real threads racing to start the first flight of a key (the systematic version is the controlled-scheduling scenario
/// SingleFlightCallersRaceToStart in tests/Concurrency): every round, two threads spinning at a start line ask for the
/// same fresh key at once, one with a cancelable token and one without, with loads that complete synchronously or after
/// a thread-pool hop. Every caller must get its own key's value, and the checking pools must see every frame returned
/// exactly once. So that the race happens on a loaded machine too, the checking pool holds a caller that rents a flight
/// frame (it found no flight for the key) for up to 50 ms, until its rival has rented one as well: both then try to add
/// their flight for the key, and one must discard its start.
/// </summary>
[Collection(PoolProviderSwappers.Name)]
public class StartRaceStressTests
{
    private const int Racers = 2;
    private const int EnoughRaces = 50;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    private sealed record RaceValue(string Key);

    [Fact]
    public void Callers_racing_to_start_a_flight_each_get_their_own_keys_value_and_every_frame_returns_once()
    {
        CheckingPoolProvider pools = CheckingPoolProvider.For<RaceValue>();
        pools.Run(WarmUp);
        int rentedBefore = pools.Rented;
        int flightsBefore = FlightsRented(pools);

        var race = new Race();
        pools.BeforeRent = type =>
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(FlightFrame<,>))
            {
                race.LineUp();
            }
        };
        Thread[] threads = [.. Enumerable.Range(0, Racers).Select(racer => new Thread(() => race.Run(racer, pools, flightsBefore)) { IsBackground = true })];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        try
        {
            foreach (Thread thread in threads)
            {
                Assert.True(thread.Join(s_budget + s_limit + s_limit), "a racing caller did not finish within its time limit");
            }
        }
        finally
        {
            pools.BeforeRent = null;
        }

        Assert.True(race.Failures.Count == 0, string.Join(Environment.NewLine, race.Failures.Take(5)));
        Assert.True(
            SpinWait.SpinUntil(() => pools.Outstanding == 0, s_limit),
            $"after {race.Rounds} rounds every caller has its value, but {pools.Outstanding} frame(s) were never returned");
        pools.AssertEveryRentReturnedOnce($"{race.Rounds} rounds of two callers racing to start a key's flight", rentedBefore);
        int raced = race.Discarded(pools, flightsBefore);
        Assert.True(raced > 0, $"in {race.Rounds} rounds no two callers raced to start one key's flight (no start was discarded), so the race was not exercised");
    }

    private static int FlightsRented(CheckingPoolProvider pools) =>
        pools.RentedWhere(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(FlightFrame<,>));

    /// <summary>One caller: asks for <paramref name="key"/> and waits (bounded) for its value; returns what went wrong, if anything.</summary>
    private static string? CallOnce(
        SingleFlight<string, RaceValue> flights, string key, bool synchronousLoad, StartCounter starts, CancellationToken token)
    {
        SimpleTask<RaceValue> handle = flights.RunAsync(key, (synchronousLoad, starts), static (key, state, _) =>
        {
            state.starts.Increment();
            return state.synchronousLoad ? new SimpleTask<RaceValue>(new RaceValue(key)) : LoadAfterHop(key);
        }, token);

        Task<RaceValue> waiting = handle.AsTask();
        if (!waiting.Wait(s_limit, CancellationToken.None))
        {
            return $"the caller of {key} was not resumed within {s_limit.TotalSeconds} s (a lost continuation)";
        }

        return waiting.Result.Key == key ? null : $"the caller of {key} got the value of {waiting.Result.Key}";
    }

    private static async SimpleTask<RaceValue> LoadAfterHop(string key)
    {
        await Task.Yield();
        return new RaceValue(key);
    }

    /// <summary>Uses every frame type the stress uses once, so their pools are the checking provider's.</summary>
    private static void WarmUp()
    {
        var flights = new SingleFlight<string, RaceValue>();
        using var tokens = new CancellationTokenSource();
        var starts = new StartCounter();
        foreach (bool synchronousLoad in new[] { true, false })
        {
            foreach (CancellationToken token in new[] { CancellationToken.None, tokens.Token })
            {
                Assert.Null(CallOnce(flights, "warm-up", synchronousLoad, starts, token));
            }
        }
    }

    /// <summary>
    /// The rounds. Racer 0 leads: when both racers wait at the start line it opens the next round (or ends the race once
    /// enough starts were discarded, or the budget is spent); both spin on the line, so they leave it together.
    /// </summary>
    private sealed class Race
    {
        private readonly SingleFlight<string, RaceValue> _flights = new();
        private readonly StartCounter _starts = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<string> _failures = [];
        private static readonly TimeSpan s_lineUpLimit = TimeSpan.FromMilliseconds(50);

        private int _waiting;
        private int _round = -1;
        private int _rentsThisRound;
        private volatile bool _over;

        public int Rounds => Volatile.Read(ref _round) + 1;

        public IReadOnlyList<string> Failures
        {
            get
            {
                lock (_failures)
                {
                    return [.. _failures];
                }
            }
        }

        /// <summary>Flights rented beyond the loads started: each is a start that lost the race for its key.</summary>
        public int Discarded(CheckingPoolProvider pools, int flightsBefore) => FlightsRented(pools) - flightsBefore - _starts.Count;

        /// <summary>A racer is about to rent a flight frame: wait (bounded) until the other racer is about to rent one too.</summary>
        public void LineUp()
        {
            Interlocked.Increment(ref _rentsThisRound);
            var clock = Stopwatch.StartNew();
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _rentsThisRound) < Racers && clock.Elapsed < s_lineUpLimit)
            {
                spinner.SpinOnce();
            }
        }

        public void Run(int racer, CheckingPoolProvider pools, int flightsBefore)
        {
            using var tokens = new CancellationTokenSource();
            for (int round = 0; ; round++)
            {
                Interlocked.Increment(ref _waiting);
                if (racer == 0)
                {
                    var spinner = default(SpinWait);
                    while (Volatile.Read(ref _waiting) < Racers)
                    {
                        spinner.SpinOnce();
                    }

                    Volatile.Write(ref _waiting, 0);
                    Volatile.Write(ref _rentsThisRound, 0);
                    _over = Failures.Count > 0 || Discarded(pools, flightsBefore) >= EnoughRaces || _clock.Elapsed > s_budget;
                    Volatile.Write(ref _round, round);
                }
                else
                {
                    var spinner = default(SpinWait);
                    while (Volatile.Read(ref _round) < round)
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                    }
                }

                if (_over)
                {
                    return;
                }

                bool withToken = (round + racer) % 2 == 0;
                string? failure = CallOnce(
                    _flights, $"key {round}", synchronousLoad: round % 3 == 0, _starts, withToken ? tokens.Token : CancellationToken.None);
                if (failure is not null)
                {
                    lock (_failures)
                    {
                        _failures.Add($"round {round}: {failure}");
                    }
                }
            }
        }
    }

    /// <summary>How many loads were started (each start is one flight that won its key).</summary>
    private sealed class StartCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}
