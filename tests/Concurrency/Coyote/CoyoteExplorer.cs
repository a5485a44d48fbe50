using System.Diagnostics;
using System.Globalization;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;
using SharedTask.Scheduling;
using SharedTask.Tests.Concurrency.Engine;
using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// Explores a scenario with Microsoft Coyote's <see cref="TestingEngine"/>, in process, with a portfolio of strategies
/// (random first, whose runs measure the threads n and scheduling steps k that size PCT from its bound; then PCT, fair
/// PCT, probabilistic and delay-bounding), each from its own widely spaced seed. Stops at the first failure, saves its
/// Coyote reproducible trace to a file, and replays such a file on demand.
/// </summary>
internal sealed class CoyoteExplorer(CoyoteBudget budget)
{
    /// <summary>'Scenario@path/to/trace': the named scenario's Coyote test replays that trace instead of exploring.</summary>
    internal const string ReplayVariable = "SHAREDTASK_COYOTE_REPLAY";

    /// <summary>The folder failing traces are written to (default: sharedtask-coyote-traces in the temp folder).</summary>
    internal const string TraceFolderVariable = "SHAREDTASK_COYOTE_TRACES";

    /// <summary>Seeds of the portfolio's strategies are this far apart, so their per-iteration seeds (seed + i) never overlap.</summary>
    private const uint SeedSpacing = 0x2000_0000;

    private CoyoteBudget Budget { get; } = budget;

    /// <summary>Explores one scenario with the whole portfolio, stopping at its first failure.</summary>
    internal CoyoteReport Explore(Func<Scenario> create)
    {
        var portfolio = new Portfolio(this, create);
        while (portfolio.RunNext())
        {
        }

        return portfolio.Report;
    }

    /// <summary>
    /// Explores several scenarios breadth-first: every scenario with the portfolio's first strategy, then every one
    /// with the second, and so on, stopping at the first failure (shallow bugs surface in the cheap first round,
    /// whatever the scenario's place in the list). Returns every report, in scenario order.
    /// </summary>
    internal IReadOnlyList<CoyoteReport> ExploreBreadthFirst(IReadOnlyList<Func<Scenario>> creates)
    {
        Portfolio[] portfolios = [.. creates.Select(create => new Portfolio(this, create))];
        bool progressed = true;
        while (progressed && portfolios.All(p => p.Report.Failure is null))
        {
            progressed = false;
            foreach (Portfolio portfolio in portfolios)
            {
                progressed |= portfolio.RunNext();
                if (portfolio.Report.Failure is not null)
                {
                    break;
                }
            }
        }

        return [.. portfolios.Select(p => p.Report)];
    }

    /// <summary>Replays a saved Coyote trace of <paramref name="create"/>'s scenario once: its failure, or null if it did not reproduce.</summary>
    internal CoyoteFailure? Replay(Func<Scenario> create, string traceFile)
    {
        Configuration configuration = Configured(Configuration.Create().WithReproducibleTrace(File.ReadAllText(traceFile)));
        (TestingEngine engine, Func<CoyoteScenarioContext?> last) = CreateEngine(create, configuration, onIterationEnd: null);
        using (engine)
        {
            RunObserved(engine);
            if (engine.TestReport.NumOfFoundBugs == 0)
            {
                return null;
            }

            CoyoteFailure failure = FailureOf(engine, last());
            failure.Scenario = create().Name;
            failure.Strategy = "replay of " + traceFile;
            failure.Iteration = 1;
            return failure;
        }
    }

    /// <summary>
    /// One scenario's way through the portfolio: random first (its runs measure the threads n and steps k that size PCT
    /// from its bound), then PCT with one and with two change points, fair PCT, probabilistic and delay-bounding, each
    /// from its own seed.
    /// </summary>
    private sealed class Portfolio
    {
        private readonly CoyoteExplorer _explorer;
        private readonly Func<Scenario> _create;
        private readonly uint _seed;
        private readonly Stopwatch _elapsed = new();
        private int _next;
        private string? _pctNote;
        private int _pctIterations;

        internal Portfolio(CoyoteExplorer explorer, Func<Scenario> create)
        {
            _explorer = explorer;
            _create = create;
            Report = new CoyoteReport(create().Name);
            _seed = unchecked(explorer.Budget.Seed ^ StableHash(Report.Scenario));
        }

        internal CoyoteReport Report { get; }

        /// <summary>Runs the next strategy; false if there was none left to run (done, failed, or out of time).</summary>
        internal bool RunNext()
        {
            CoyoteBudget budget = _explorer.Budget;
            if (Report.Failure is not null || Report.TimeLimitReached || _next > 5)
            {
                return false;
            }

            CoyoteStrategy strategy = _next switch
            {
                0 => CoyoteStrategy.Random(budget.RandomIterations),
                1 => CoyoteStrategy.Pct(changePoints: 1, _pctIterations),
                2 => CoyoteStrategy.Pct(changePoints: 2, _pctIterations),
                3 => CoyoteStrategy.FairPct(changePoints: 2, budget.OtherIterations),
                4 => CoyoteStrategy.Probabilistic(level: 3, budget.OtherIterations),
                _ => CoyoteStrategy.DelayBounding(delays: 2, budget.OtherIterations),
            };
            _elapsed.Start();
            StrategyRun run = _explorer.Run(Report, _create, strategy, unchecked(_seed + (uint)_next * SeedSpacing), _elapsed);
            _elapsed.Stop();
            Report.Elapsed = _elapsed.Elapsed;
            if (_next == 0)
            {
                int wanted = budget.Shared.PctIterationsFor(run.MaxThreads, run.MaxSteps);
                _pctIterations = Math.Min(wanted, budget.PctIterationCap);
                _pctNote = string.Create(
                    CultureInfo.InvariantCulture,
                    $"bound asks {wanted} for {budget.Shared.PctConfidence:P0} on depth-2 bugs with n={run.MaxThreads}, k={run.MaxSteps}") +
                    (wanted > _pctIterations ? string.Create(CultureInfo.InvariantCulture, $"; capped at {_pctIterations}") : "");
            }
            else if (strategy.Kind == "pct")
            {
                run.Note = _pctNote;
            }

            _next++;
            return true;
        }
    }

    private StrategyRun Run(CoyoteReport report, Func<Scenario> create, CoyoteStrategy strategy, uint seed, Stopwatch total)
    {
        var run = new StrategyRun($"{strategy.Name}, seed {seed}");
        report.Runs.Add(run);
        var schedules = new HashSet<ulong>();
        var clock = Stopwatch.StartNew();
        Configuration configuration = Configured(strategy.Configure(
            Configuration.Create().WithTestingIterations((uint)strategy.Iterations).WithRandomGeneratorSeed(seed)));
        (TestingEngine engine, Func<CoyoteScenarioContext?> last) = CreateEngine(create, configuration, (context, stop) =>
        {
            run.Iterations++;
            schedules.Add(context.Signature);
            run.MaxThreads = Math.Max(run.MaxThreads, context.Threads);
            run.MaxSteps = Math.Max(run.MaxSteps, context.Steps);
            if (total.Elapsed > Budget.TimeLimit && context.Failure is null)
            {
                report.TimeLimitReached = true;
                stop();
            }
        });
        using (engine)
        {
            RunObserved(engine);
            run.DistinctSchedules = schedules.Count;
            run.Elapsed = clock.Elapsed;
            if (engine.TestReport.NumOfFoundBugs > 0)
            {
                CoyoteFailure failure = FailureOf(engine, last());
                failure.Scenario = report.Scenario;
                failure.Strategy = strategy.Name;
                failure.Seed = seed;
                failure.Iteration = run.Iterations;
                failure.TraceFile = SaveTrace(engine.ReproducibleTrace, report.Scenario, strategy, seed, run.Iterations);
                report.Failure = failure;
            }
        }

        return run;
    }

    /// <summary>Settings every run and replay shares; a replay's trace carries the strategy, seed and step bound.</summary>
    private Configuration Configured(Configuration configuration) => configuration
        .WithMaxSchedulingSteps((uint)Budget.MaxSteps, (uint)Budget.MaxSteps)
        .WithFailureOnMaxStepsBoundEnabled()
        .WithPartiallyControlledConcurrencyAllowed(false)
        .WithTelemetryEnabled(false)
        .WithConsoleLoggingEnabled(false);

    /// <summary>
    /// A testing engine whose every iteration runs a fresh scenario instance in a fresh <see cref="CoyoteScenarioContext"/>;
    /// after each iteration the context is joined (its threads unwound) and handed to <paramref name="onIterationEnd"/>.
    /// </summary>
    private (TestingEngine Engine, Func<CoyoteScenarioContext?> Last) CreateEngine(
        Func<Scenario> create, Configuration configuration, Action<CoyoteScenarioContext, Action>? onIterationEnd)
    {
        CoyoteScenarioContext? current = null;
        TestingEngine engine = TestingEngine.Create(configuration, runtime =>
        {
            current = new CoyoteScenarioContext(create());
            current.RunIteration(runtime);
        });
        engine.SetLogger(new TextWriterLogger(TextWriter.Null, VerbosityLevel.None));
        engine.RegisterEndIterationCallBack(_ =>
        {
            if (current is { } context)
            {
                context.EndIteration(Budget.UnwindTimeout);
                onIterationEnd?.Invoke(context, engine.Stop);
            }
        });
        return (engine, () => current);
    }

    private static void RunObserved(TestingEngine engine)
    {
        SchedulingSeam.Observer = CoyoteSeamObserver.Instance;
        try
        {
            engine.Run();
        }
        finally
        {
            SchedulingSeam.Observer = null;
        }

        if (engine.TestReport.InternalErrors.Count > 0)
        {
            throw new InvalidOperationException("Coyote reported an internal error:\n" + string.Join("\n", engine.TestReport.InternalErrors));
        }
    }

    private static CoyoteFailure FailureOf(TestingEngine engine, CoyoteScenarioContext? context) =>
        context?.Failure ?? new CoyoteFailure
        {
            Kind = FailureKind.UnhandledException,
            Message = string.Join("; ", engine.TestReport.BugReports),
            Thread = "unknown",
            Trace = context?.FormatTrace() ?? "",
        };

    private static string? SaveTrace(string trace, string scenario, CoyoteStrategy strategy, uint seed, int iteration)
    {
        if (string.IsNullOrEmpty(trace))
        {
            return null;
        }

        string folder = Environment.GetEnvironmentVariable(TraceFolderVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "sharedtask-coyote-traces");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{scenario}.{strategy.Kind}.seed{seed}.iteration{iteration}.trace.json"));
        File.WriteAllText(path, trace);
        return path;
    }

    /// <summary>FNV-1a over the name, folded to 32 bits: string.GetHashCode is randomized per process.</summary>
    private static uint StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((uint)(hash ^ (hash >> 32)));
    }
}
