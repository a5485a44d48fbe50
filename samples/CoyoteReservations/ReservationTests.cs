using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.Specifications;
using Microsoft.Coyote.SystematicTesting;
using SharedTask.Testing.Coyote;
using Xunit.Abstractions;
using ControlledTask = Microsoft.Coyote.Rewriting.Types.Threading.Tasks.Task;

namespace SharedTask.Samples.CoyoteReservations;

/// <summary>
/// Coyote tests of the reservation services: two customers reserve the only item of a SKU at once. Coyote explores the
/// interleavings of the two customers, of the warehouse call, and (through SharedTask.Testing.Coyote) of SharedTask's
/// own reference counts, waiter lists and pools underneath SingleFlight. The racy service must be caught overselling,
/// with a trace that replays; the fixed one must pass every explored schedule.
/// </summary>
public sealed class ReservationTests(ITestOutputHelper output)
{
    /// <summary>Set to a saved trace file to replay it in <see cref="Racy_service_oversells_and_Coyote_finds_it"/> instead of exploring.</summary>
    private const string ReplayVariable = "RESERVATIONS_COYOTE_REPLAY";

    private const uint Iterations = 300;
    private const uint Seed = 20_260_101;

    [Fact]
    public void Racy_service_oversells_and_Coyote_finds_it()
    {
        SharedTaskCoyote.Connect();
        string? replay = Environment.GetEnvironmentVariable(ReplayVariable);
        string trace = string.IsNullOrEmpty(replay) ? FindOverselling() : File.ReadAllText(replay);

        // The saved trace replays the same interleaving: the same failure, at once.
        using TestingEngine replayed = TestingEngine.Create(
            Configuration.Create().WithReproducibleTrace(trace).WithTelemetryEnabled(false),
            () => TwoCustomersWantTheLastItem(new RacyReservations(NewWarehouse())));
        replayed.SetLogger(new TextWriterLogger(TextWriter.Null, VerbosityLevel.None));
        replayed.Run();
        output.WriteLine($"replay: {(replayed.TestReport.NumOfFoundBugs > 0 ? "reproduced: " + string.Join("; ", replayed.TestReport.BugReports) : "Failed to reproduce")}");
        Assert.Equal(1, replayed.TestReport.NumOfFoundBugs);
    }

    [Fact]
    public void Fixed_service_never_oversells_under_Coyote()
    {
        SharedTaskCoyote.Connect();
        using TestingEngine engine = Explore(() => TwoCustomersWantTheLastItem(new Reservations(NewWarehouse())));

        output.WriteLine($"fixed service: {engine.TestReport.NumOfExploredUnfairPaths + engine.TestReport.NumOfExploredFairPaths} schedules explored, {engine.TestReport.NumOfFoundBugs} bugs");
        Assert.True(engine.TestReport.NumOfFoundBugs == 0, "the fixed service failed:\n" + engine.ReadableTrace);
    }

    /// <summary>The test Coyote runs: two customers, one item, both reserve at once; at most one may get it.</summary>
    private static async Task TwoCustomersWantTheLastItem(IReservations reservations)
    {
        // This test assembly is not rewritten by `coyote rewrite`, so it starts concurrent work through Coyote's
        // controlled Task.Run (the call rewriting would substitute for Task.Run).
        Task<bool> first = ControlledTask.Run(() => reservations.TryReserveAsync("sku-1").AsTask());
        Task<bool> second = ControlledTask.Run(() => reservations.TryReserveAsync("sku-1").AsTask());
        bool[] outcomes = await Task.WhenAll(new[] { first, second }); // an array: Coyote 1.7.11 does not see the span overload

        Specification.Assert(outcomes.Count(reserved => reserved) <= 1, "both customers reserved the only item in stock: oversold");
    }

    private static Warehouse NewWarehouse() => new(new Dictionary<string, int>(StringComparer.Ordinal) { ["sku-1"] = 1 });

    /// <summary>Explores the racy service, expects the oversell, prints the readable trace and saves the reproducible one.</summary>
    private string FindOverselling()
    {
        using TestingEngine engine = Explore(() => TwoCustomersWantTheLastItem(new RacyReservations(NewWarehouse())));
        int explored = engine.TestReport.NumOfExploredUnfairPaths + engine.TestReport.NumOfExploredFairPaths;
        Assert.True(engine.TestReport.NumOfFoundBugs == 1, $"Coyote explored {explored} schedules of the racy service and never saw it oversell");

        string file = Path.Combine(Path.GetTempPath(), "sharedtask-coyote-traces", "RacyReservations.trace.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, engine.ReproducibleTrace);
        output.WriteLine($"Coyote found the oversell at iteration {explored} (seed {Seed}): {string.Join("; ", engine.TestReport.BugReports)}");
        output.WriteLine($"reproducible trace: {file}");
        output.WriteLine($"replay it: {ReplayVariable}='{file}' dotnet test samples/CoyoteReservations --filter Racy");
        output.WriteLine("readable trace of the failing iteration:");
        output.WriteLine(engine.ReadableTrace);
        return engine.ReproducibleTrace;
    }

    private static TestingEngine Explore(Func<Task> test)
    {
        Configuration configuration = Configuration.Create()
            .WithTestingIterations(Iterations)
            .WithRandomGeneratorSeed(Seed)
            .WithPartiallyControlledConcurrencyAllowed(false)
            .WithVerbosityEnabled(VerbosityLevel.Info)
            .WithTelemetryEnabled(false);
        var engine = TestingEngine.Create(configuration, test);
        engine.SetLogger(new TextWriterLogger(TextWriter.Null, VerbosityLevel.None));
        engine.Run();
        return engine;
    }
}
