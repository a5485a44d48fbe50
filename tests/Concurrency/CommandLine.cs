using System.Globalization;
using SharedTask.Tests.Concurrency.Coyote;
using SharedTask.Tests.Concurrency.Engine;
using SharedTask.Tests.Concurrency.Scenarios;

namespace SharedTask.Tests.Concurrency;

/// <summary>
/// The commands of <see cref="Program"/>:
/// <c>replay 'Scenario@1:schedule'</c> runs one home-engine interleaving and prints its outcome;
/// <c>replay-coyote 'Scenario@trace-file'</c> replays a saved Coyote trace;
/// <c>explore [home|coyote|both] [--first A,B]</c> explores every scenario of the catalog with the environment's budget,
/// under each engine named (both by default), each stopping at its first failure (what the mutant tests run against a
/// mutated SharedTask.dll): the scenarios named after <c>--first</c> fully first, then the rest breadth-first; a Coyote
/// failure is replayed from its saved trace right away.
/// </summary>
internal static class CommandLine
{
    /// <summary>The line a failed home-engine <c>explore</c> ends with; the mutant tests parse it.</summary>
    internal const string HomeFailurePrefix = "first failure (home engine): ";

    /// <summary>The line a failed Coyote <c>explore</c> ends with; the mutant tests parse it.</summary>
    internal const string CoyoteFailurePrefix = "first failure (coyote): ";

    /// <summary>The line that says whether the Coyote failure's saved trace reproduced it.</summary>
    internal const string CoyoteReplayPrefix = "coyote replay: ";

    internal static int Run(string[] args, TextWriter output)
    {
        switch (args)
        {
            case ["replay", string replay]:
                return Replay(replay, output);
            case ["replay-coyote", string replay]:
                return ReplayCoyote(replay, output);
            case ["explore", .. string[] rest] when ParseExplore(rest) is var (engine, first):
                Order order = Ordered(first);
                return engine switch
                {
                    "home" => ExploreHome(order, output),
                    "coyote" => ExploreCoyote(order, output),
                    _ => ExploreHome(order, output) | ExploreCoyote(order, output),
                };
            default:
                output.WriteLine("usage: replay 'Scenario@1:schedule' | replay-coyote 'Scenario@trace-file' | explore [home|coyote|both] [--first A,B]");
                output.WriteLine($"  {ExplorationBudget.MultiplierVariable}=N multiplies the budget; {ExplorationBudget.SeedVariable}=N changes the seed.");
                return 2;
        }
    }

    /// <summary>The scenarios to explore: the named ones first (each fully), then the rest of the catalog.</summary>
    private sealed record Order(IReadOnlyList<Func<Scenario>> First, IReadOnlyList<Func<Scenario>> Rest);

    private static (string Engine, string[] First)? ParseExplore(string[] rest) => rest switch
    {
        [] => ("both", []),
        ["home" or "coyote" or "both"] => (rest[0], []),
        ["--first", string names] => ("both", names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
        ["home" or "coyote" or "both", "--first", string names] =>
            (rest[0], names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
        _ => null,
    };

    private static Order Ordered(string[] first)
    {
        List<Func<Scenario>> targets = [.. first.Select(ScenarioCatalog.Named)];
        var named = new HashSet<string>(first, StringComparer.Ordinal);
        return new Order(targets, [.. ScenarioCatalog.All.Where(create => !named.Contains(create().Name))]);
    }

    private static (Func<Scenario> Create, string Argument)? ParseReplay(string replay, string form, TextWriter output)
    {
        int at = replay.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            output.WriteLine($"'{replay}' is not '{form}'.");
            return null;
        }

        return (ScenarioCatalog.Named(replay[..at]), replay[(at + 1)..]);
    }

    private static int Replay(string replay, TextWriter output)
    {
        if (ParseReplay(replay, "Scenario@schedule", output) is not var (create, schedule))
        {
            return 2;
        }

        IterationResult result = new Explorer(ExplorationBudget.FromEnvironment()).Replay(create, schedule);
        output.WriteLine(result.Failure is null
            ? string.Create(CultureInfo.InvariantCulture, $"{create().Name}: the schedule ran to the end and every invariant held ({result.Steps} steps).")
            : result.Failure.ToString());
        return result.Failure is null ? 0 : 1;
    }

    private static int ReplayCoyote(string replay, TextWriter output)
    {
        if (ParseReplay(replay, "Scenario@trace-file", output) is not var (create, traceFile))
        {
            return 2;
        }

        CoyoteFailure? failure = new CoyoteExplorer(CoyoteBudget.FromEnvironment()).Replay(create, traceFile);
        output.WriteLine(failure is null
            ? $"{create().Name}: Failed to reproduce: the traced schedule ran to the end and every invariant held."
            : failure.ToString());
        return failure is null ? 0 : 1;
    }

    private static int ExploreHome(Order order, TextWriter output)
    {
        // The targets first (a quick random round, then the full search), then the others the same way, breadth-first as
        // for Coyote: a shallow bug then costs seconds whichever scenario finds it, instead of every earlier scenario's
        // full search.
        var explorer = new Explorer(ExplorationBudget.FromEnvironment());
        int iterations = 0;
        IEnumerable<(Func<Scenario> Create, bool Quickly)> plan =
            order.First.Select(static create => (create, true))
                .Concat(order.First.Select(static create => (create, false)))
                .Concat(order.Rest.Select(static create => (create, true)))
                .Concat(order.Rest.Select(static create => (create, false)));
        foreach ((Func<Scenario> create, bool quickly) in plan)
        {
            ExplorationReport report = quickly ? explorer.ExploreQuickly(create) : explorer.Explore(create);
            iterations += report.TotalIterations;
            output.WriteLine((quickly ? "quick round: " : "") + report.SummaryLine);
            if (report.Failure is { } failure)
            {
                output.WriteLine(failure.ToString());
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{HomeFailurePrefix}{report.Scenario} at iteration {report.TotalIterations} of the scenario ({iterations} in all), {failure.Strategy}; {failure.Kind}: {failure.Message}"));
                return 1;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"home engine: all {order.First.Count + order.Rest.Count} scenarios passed ({iterations} iterations)"));
        return 0;
    }

    private static int ExploreCoyote(Order order, TextWriter output)
    {
        // The targets first, then the rest breadth-first (every scenario's random run before any PCT run): a shallow bug
        // surfaces in the cheap first round.
        var explorer = new CoyoteExplorer(CoyoteBudget.FromEnvironment());
        List<CoyoteReport> reports = [.. explorer.ExploreBreadthFirst(order.First)];
        if (reports.All(static report => report.Failure is null))
        {
            reports.AddRange(explorer.ExploreBreadthFirst(order.Rest));
        }

        int iterations = reports.Sum(r => r.TotalIterations);
        foreach (CoyoteReport report in reports)
        {
            output.WriteLine(report.SummaryLine);
        }

        if (reports.FirstOrDefault(r => r.Failure is not null) is not { Failure: { } failure } failed)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"coyote: all {reports.Count} scenarios passed ({iterations} iterations)"));
            return 0;
        }

        output.WriteLine(failure.ToString());
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{CoyoteFailurePrefix}{failed.Scenario} at iteration {failed.TotalIterations} of the scenario ({iterations} in all), {failure.Strategy}; {failure.Kind}: {failure.Message}"));
        output.WriteLine(CoyoteReplayPrefix + DescribeReplay(explorer, ScenarioCatalog.Named(failed.Scenario), failure));
        return 1;
    }

    /// <summary>Replays a failure's saved trace and says whether it failed the same way.</summary>
    private static string DescribeReplay(CoyoteExplorer explorer, Func<Scenario> create, CoyoteFailure failure)
    {
        if (failure.TraceFile is null)
        {
            return "no trace was saved";
        }

        CoyoteFailure? replayed = explorer.Replay(create, failure.TraceFile);
        return replayed is null ? "Failed to reproduce"
            : replayed.Summary == failure.Summary ? "reproduced the same failure"
            : $"reproduced a different failure ({replayed.Summary})";
    }
}
