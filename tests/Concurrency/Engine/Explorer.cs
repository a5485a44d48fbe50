using System.Diagnostics;
using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Explores a scenario with the budget's portfolio, in this order: seeded random and PCT at each configured depth (sized
/// from the PCT bound for the threads and decisions the random runs measured), both off by default, then the
/// preemption-bounded exhaustive search. Stops at the first failure, which carries a replayable schedule.
/// </summary>
internal sealed class Explorer(ExplorationBudget budget)
{
    private static readonly TimeSpan s_stallTimeout = TimeSpan.FromSeconds(60);

    private readonly ControlledScheduler _scheduler = new(budget.MaxSteps, s_stallTimeout);

    internal ExplorationReport Explore(Func<Scenario> create)
    {
        string name = create().Name;
        var report = new ExplorationReport(name);
        var total = Stopwatch.StartNew();
        ulong seed = budget.Seed ^ StableHash(name);

        StrategyRun? random = budget.RandomIterations > 0 ? Run(report, create, new RandomStrategy(seed), budget.RandomIterations, total) : null;
        foreach (int depth in budget.PctDepths)
        {
            if (random is null || report.Failure is not null || report.TimeLimitReached)
            {
                break;
            }

            int wanted = budget.PctIterationsFor(random.MaxThreads, random.MaxDecisions);
            int iterations = Math.Min(wanted, budget.PctIterationCap);
            StrategyRun pct = Run(report, create, new PctStrategy(seed + (ulong)depth, depth), iterations, total);
            pct.Note = $"bound asks {wanted} for 99% on depth-2 bugs with n={random.MaxThreads}, k={random.MaxDecisions}" +
                (wanted > iterations ? $"; capped at {iterations}" : "");
        }

        if (report.Failure is null && !report.TimeLimitReached)
        {
            var exhaustive = new BoundedExhaustiveStrategy(budget.PreemptionBound);
            StrategyRun run = Run(report, create, exhaustive, budget.ExhaustiveScheduleCap, total);
            run.Exhausted = exhaustive.Exhausted;
        }

        report.Elapsed = total.Elapsed;
        return report;
    }

    /// <summary>Runs <paramref name="schedule"/> once; the failure it reproduces, or null if the iteration passes.</summary>
    /// <summary>
    /// The quick round of a breadth-first exploration: <see cref="ExplorationBudget.QuickRoundIterations"/> random
    /// iterations of one scenario, with a seed of their own.
    /// </summary>
    internal ExplorationReport ExploreQuickly(Func<Scenario> create)
    {
        string name = create().Name;
        var report = new ExplorationReport(name);
        var total = Stopwatch.StartNew();
        Run(report, create, new RandomStrategy(~(budget.Seed ^ StableHash(name))), budget.QuickRoundIterations, total);
        report.Elapsed = total.Elapsed;
        return report;
    }

    internal IterationResult Replay(Func<Scenario> create, string schedule)
    {
        var strategy = new ReplayStrategy(schedule);
        strategy.PrepareIteration();
        IterationResult result = _scheduler.RunIteration(create(), strategy);
        if (result.Failure is { } failure)
        {
            failure.Iteration = 1;
        }

        return result;
    }

    private StrategyRun Run(ExplorationReport report, Func<Scenario> create, ISchedulingStrategy strategy, int iterations, Stopwatch total)
    {
        var run = new StrategyRun(strategy.Name);
        report.Runs.Add(run);
        var schedules = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (run.Iterations < iterations && strategy.PrepareIteration())
        {
            if (total.Elapsed > budget.TimeLimit)
            {
                report.TimeLimitReached = true;
                break;
            }

            IterationResult result = _scheduler.RunIteration(create(), strategy);
            run.Iterations++;
            schedules.Add(result.Schedule);
            run.MaxSteps = Math.Max(run.MaxSteps, result.Steps);
            run.MaxDecisions = Math.Max(run.MaxDecisions, result.Decisions);
            run.MaxThreads = Math.Max(run.MaxThreads, result.Threads);
            if (result.Failure is { } failure)
            {
                failure.Iteration = run.Iterations;
                report.Failure = failure;
                break;
            }
        }

        run.DistinctSchedules = schedules.Count;
        run.Elapsed = clock.Elapsed;
        return run;
    }

    /// <summary>FNV-1a over the name: string.GetHashCode is randomized per process, and seeds must be reproducible.</summary>
    private static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
