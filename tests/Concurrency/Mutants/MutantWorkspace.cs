using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SharedTask.Tests.Concurrency.Mutants;

/// <summary>
/// Scratch copies of the library and of this test assembly's output, shared by the mutant tests: each mutant is a
/// patch applied to a pristine copy of src/SharedTask, compiled in this process (<see cref="MutantCompiler"/>) into a
/// SharedTask.dll next to a copy of this assembly, whose <c>explore</c> command then runs the scenarios against it under
/// both engines (one compilation per mutant serves both): first the scenarios the patch names as its targets, then
/// every other one breadth-first. Same assembly name and version, so InternalsVisibleTo and the seam work as with the
/// shipped build.
/// </summary>
/// <remarks>
/// Every mutant runs in child processes of its own, so the workspace starts them all when it is created, as many at a
/// time as there are cores (at most two: each child is itself busy), each in a slot (a folder set) of its own; a test
/// then waits for its mutant's outcome. The mutants' wall-clock time is about their total divided by the slots.
/// </remarks>
public sealed class MutantWorkspace : IDisposable
{
    private static readonly TimeSpan s_applyTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_exploreTimeout = TimeSpan.FromMinutes(6);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"sharedtask-mutants-{Environment.ProcessId}");
    private readonly string _repository;
    private readonly ConcurrentBag<Slot> _freeSlots = [];
    private readonly SemaphoreSlim _slotGate;
    private readonly Dictionary<string, Task<MutantOutcome>> _runs = new(StringComparer.Ordinal);

    public MutantWorkspace()
    {
        _repository = FindRepository();
        int slots = Math.Clamp(Environment.ProcessorCount, 1, 2);
        _slotGate = new SemaphoreSlim(slots);
        for (int index = 0; index < slots; index++)
        {
            _freeSlots.Add(CreateSlot(Path.Combine(_root, index.ToString(CultureInfo.InvariantCulture))));
        }

        foreach (string patch in Directory.EnumerateFiles(PatchFolder, "*.patch").Order(StringComparer.Ordinal))
        {
            _runs.Add(Path.GetFileNameWithoutExtension(patch), Task.Run(() => RunInFreeSlot(patch)));
        }
    }

    /// <summary>The folder of the patches, in the repository (not the build output).</summary>
    internal string PatchFolder => Path.Combine(_repository, "tests", "Concurrency", "Mutants");

    /// <summary>Waits for the run of <paramref name="mutant"/> (started with the workspace) and returns its outcome.</summary>
    internal MutantOutcome Outcome(string mutant) => _runs[mutant].GetAwaiter().GetResult();

    private MutantOutcome RunInFreeSlot(string patch)
    {
        _slotGate.Wait();
        _freeSlots.TryTake(out Slot? slot);
        try
        {
            return Run(slot!, patch);
        }
        finally
        {
            _freeSlots.Add(slot!);
            _slotGate.Release();
        }
    }

    private static Slot CreateSlot(string folder)
    {
        var slot = new Slot(folder);
        Directory.CreateDirectory(folder);
        CopyDirectory(AppContext.BaseDirectory, slot.Runner, _ => true);
        return slot;
    }

    /// <summary>Applies <paramref name="patch"/> to a pristine library copy, compiles it, and explores the scenarios against it.</summary>
    private MutantOutcome Run(Slot slot, string patch)
    {
        var clock = Stopwatch.StartNew();
        if (Directory.Exists(slot.Library))
        {
            Directory.Delete(slot.Library, recursive: true);
        }

        CopyDirectory(Path.Combine(_repository, "src", "SharedTask"), slot.Library, IsSource);
        (int applyExit, string applyOutput) = Execute("git", $"apply \"{patch}\"", slot.Folder, s_applyTimeout, []);
        if (applyExit != 0)
        {
            return MutantOutcome.NotRun($"the patch no longer applies to src/SharedTask (regenerate it):\n{applyOutput}");
        }

        if (MutantCompiler.Compile(slot.Library, Path.Combine(slot.Runner, "SharedTask.dll")) is { } errors)
        {
            return MutantOutcome.NotRun($"the mutant does not compile:\n{errors}");
        }

        TimeSpan buildTime = clock.Elapsed;
        string targets = string.Join(',', Targets(patch));
        (int exploreExit, string exploreOutput) = Execute(
            "dotnet",
            $"\"{Path.Combine(slot.Runner, "SharedTask.Tests.Concurrency.dll")}\" explore both" + (targets.Length == 0 ? "" : $" --first {targets}"),
            slot.Runner,
            s_exploreTimeout,
            [new(Coyote.CoyoteExplorer.TraceFolderVariable, Path.Combine(slot.Folder, "coyote-traces"))]);
        return new MutantOutcome(exploreExit, exploreOutput, buildTime, clock.Elapsed - buildTime);
    }

    public void Dispose()
    {
        // A test that failed early leaves runs going: let them end before their folders go.
        try
        {
            Task.WaitAll([.. _runs.Values]);
        }
        catch (AggregateException)
        {
            // Their outcomes were reported (or are moot); the folders go all the same.
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left in the temp directory is harmless.
        }
    }

    /// <summary>
    /// The scenarios a patch names on its <c>Targets:</c> line, above the diff (git apply skips text before the diff):
    /// the ones written to catch the bug it re-introduces, explored first.
    /// </summary>
    internal static IReadOnlyList<string> Targets(string patch) =>
        File.ReadLines(patch)
            .TakeWhile(static line => !line.StartsWith("--- ", StringComparison.Ordinal) && !line.StartsWith("diff ", StringComparison.Ordinal))
            .Where(static line => line.StartsWith("Targets:", StringComparison.Ordinal))
            .SelectMany(static line => line["Targets:".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    private static bool IsSource(string relative) =>
        !relative.StartsWith("bin", StringComparison.Ordinal) && !relative.StartsWith("obj", StringComparison.Ordinal);

    private static string FindRepository()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SharedTask.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No SharedTask.sln above {AppContext.BaseDirectory}: the mutant tests need the repository's sources.");
    }

    private static void CopyDirectory(string from, string to, Func<string, bool> include)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (!include(relative))
            {
                continue;
            }

            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>The folders of one slot: a library copy and a runner (this assembly's output, with the mutant's SharedTask.dll).</summary>
    private sealed class Slot(string folder)
    {
        internal string Folder { get; } = folder;

        internal string Library { get; } = Path.Combine(folder, "src", "SharedTask");

        internal string Runner { get; } = Path.Combine(folder, "runner");
    }

    /// <summary>Runs a child process (ended if it outlives <paramref name="timeout"/>) and returns its exit code and output.</summary>
    private static (int Exit, string Output) Execute(
        string program, string arguments, string folder, TimeSpan timeout, KeyValuePair<string, string>[] environment)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output)
            {
                return (-1, $"timed out after {timeout.TotalSeconds:0} s\n{output}");
            }
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
