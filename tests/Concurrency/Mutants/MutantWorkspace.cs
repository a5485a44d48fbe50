using System.Diagnostics;
using System.Text;

namespace SharedTask.Tests.Concurrency.Mutants;

/// <summary>
/// A scratch copy of the library and of this test assembly's output, shared by the mutant tests: each mutant is a
/// patch applied to a pristine copy of src/SharedTask, built on its own (the library only), and its SharedTask.dll
/// is dropped next to a copy of this assembly, whose <c>explore</c> command then runs every scenario against it under
/// both engines (one build per mutant serves both).
/// Same assembly name and version, so InternalsVisibleTo and the seam work as with the shipped build.
/// </summary>
public sealed class MutantWorkspace : IDisposable
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_exploreTimeout = TimeSpan.FromMinutes(6);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"sharedtask-mutants-{Environment.ProcessId}");
    private readonly string _repository;
    private readonly string _runner;
    private readonly string _library;

    public MutantWorkspace()
    {
        _repository = FindRepository();
        _library = Path.Combine(_root, "src", "SharedTask");
        _runner = Path.Combine(_root, "runner");
        Directory.CreateDirectory(_root);
        foreach (string props in new[] { "Directory.Build.props", "Directory.Packages.props" })
        {
            File.Copy(Path.Combine(_repository, props), Path.Combine(_root, props), overwrite: true);
        }

        CopyDirectory(AppContext.BaseDirectory, _runner, _ => true);
    }

    /// <summary>The folder of the patches, in the repository (not the build output).</summary>
    internal string PatchFolder => Path.Combine(_repository, "tests", "Concurrency", "Mutants");

    /// <summary>Applies <paramref name="patch"/> to a pristine library copy, builds it, and explores every scenario against it.</summary>
    internal MutantOutcome Run(string patch)
    {
        var clock = Stopwatch.StartNew();
        if (Directory.Exists(_library))
        {
            Directory.Delete(_library, recursive: true);
        }

        CopyDirectory(Path.Combine(_repository, "src", "SharedTask"), _library, IsSource);
        (int applyExit, string applyOutput) = Execute("git", $"apply \"{patch}\"", _root, s_buildTimeout, []);
        if (applyExit != 0)
        {
            return MutantOutcome.NotRun($"the patch no longer applies to src/SharedTask (regenerate it):\n{applyOutput}");
        }

        string output = Path.Combine(_root, "build");
        (int buildExit, string buildOutput) = Execute(
            "dotnet",
            $"build \"{Path.Combine(_library, "SharedTask.csproj")}\" -c Release -o \"{output}\" --nologo -v q -nodeReuse:false " +
            "-p:UseSharedCompilation=false -p:TreatWarningsAsErrors=false -p:GenerateDocumentationFile=false",
            _root,
            s_buildTimeout,
            []);
        if (buildExit != 0)
        {
            return MutantOutcome.NotRun($"the mutant does not compile:\n{buildOutput}");
        }

        TimeSpan buildTime = clock.Elapsed;
        File.Copy(Path.Combine(output, "SharedTask.dll"), Path.Combine(_runner, "SharedTask.dll"), overwrite: true);
        (int exploreExit, string exploreOutput) = Execute(
            "dotnet",
            $"\"{Path.Combine(_runner, "SharedTask.Tests.Concurrency.dll")}\" explore both",
            _runner,
            s_exploreTimeout,
            [new(Coyote.CoyoteExplorer.TraceFolderVariable, Path.Combine(_root, "coyote-traces"))]);
        return new MutantOutcome(exploreExit, exploreOutput, buildTime, clock.Elapsed - buildTime);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left in the temp directory is harmless.
        }
    }

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
