using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SharedTask.Benchmarks.Harness;

/// <summary>
/// <c>--alternate A B [--rounds N]</c>: confirms a ratio across separate processes. BenchmarkDotNet processes on a busy
/// or small machine land bimodally (the same benchmark measures 0.97x in one process and 1.47x in the next), so one
/// process of each side proves little. This runs the benchmarks matched by filter A and by filter B each in a process of
/// its own (in process toolchain, the shipped build only), alternating which side goes first, N rounds, and prints every
/// process's mean, each side's median, and the ratio of the medians (B over A), per case.
/// </summary>
internal static class Alternation
{
    internal const string Flag = "--alternate";

    internal static int Run(IReadOnlyList<string> args)
    {
        int at = args.ToList().IndexOf(Flag);
        if (at < 0 || at + 2 >= args.Count)
        {
            Console.Error.WriteLine("usage: --alternate <filter A> <filter B> [--rounds N]");
            return 2;
        }

        string first = args[at + 1];
        string second = args[at + 2];
        int roundsAt = args.ToList().IndexOf("--rounds");
        int rounds = roundsAt >= 0 ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 5;

        // case name -> side -> means (ns), in the order the processes ran
        var means = new SortedDictionary<string, Dictionary<string, List<double>>>(StringComparer.Ordinal);
        for (int round = 0; round < rounds; round++)
        {
            string[] order = round % 2 == 0 ? [first, second] : [second, first];
            foreach (string filter in order)
            {
                foreach ((string name, double mean) in RunOneProcess(filter))
                {
                    string side = filter == first ? "A" : "B";
                    if (!means.TryGetValue(name, out Dictionary<string, List<double>>? sides))
                    {
                        means[name] = sides = new Dictionary<string, List<double>>(StringComparer.Ordinal);
                    }

                    if (!sides.TryGetValue(side, out List<double>? list))
                    {
                        sides[side] = list = [];
                    }

                    list.Add(mean);
                    Console.WriteLine(FormattableString.Invariant($"// round {round + 1}: {name}: {mean:0.0} ns"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"A = {first}");
        Console.WriteLine($"B = {second}");
        Console.WriteLine($"{rounds} processes per side, alternating; means in ns, medians, ratio of medians:");
        foreach ((string name, Dictionary<string, List<double>> sides) in means)
        {
            string Describe(List<double> values) =>
                FormattableString.Invariant($"[{string.Join(", ", values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}] median {Median(values):0.0}");
            Console.WriteLine($"{name}: {Describe(sides.GetValueOrDefault("A") ?? sides.GetValueOrDefault("B")!)}");
        }

        // Cases pair up by parameters: the case names differ only in the method.
        List<(string Name, double Median)> aSide = [.. means.Where(m => m.Value.ContainsKey("A")).Select(m => (m.Key, Median(m.Value["A"])))];
        List<(string Name, double Median)> bSide = [.. means.Where(m => m.Value.ContainsKey("B")).Select(m => (m.Key, Median(m.Value["B"])))];
        foreach (((string aName, double aMedian), (string bName, double bMedian)) in aSide.Zip(bSide))
        {
            Console.WriteLine(FormattableString.Invariant($"ratio {bName} / {aName}: {bMedian / aMedian:0.00}x"));
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One child process of this program measuring <paramref name="filter"/>; returns each case's mean.</summary>
    private static List<(string Name, double Mean)> RunOneProcess(string filter)
    {
        string artifacts = Path.Combine(Path.GetTempPath(), $"sharedtask-bench-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                typeof(Alternation).Assembly.Location, "--filter", filter, "--inProcess", SeamComparisonAttribute.SeamInOnlyFlag,
                "--exporters", "json", "--artifacts", artifacts,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        try
        {
            string[] reports = Directory.Exists(Path.Combine(artifacts, "results"))
                ? [.. Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report*.json")
                    .GroupBy(static file => Path.GetFileName(file)[..Path.GetFileName(file).IndexOf("-report", StringComparison.Ordinal)])
                    .Select(static reportsOfOneClass => reportsOfOneClass.First())]
                : [];
            if (process.ExitCode != 0 || reports.Length == 0)
            {
                throw new InvalidOperationException($"the benchmark process for '{filter}' failed (exit {process.ExitCode}):\n{output}");
            }

            List<(string, double)> cases = [];
            foreach (string report in reports)
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(report));
                foreach (JsonElement benchmark in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
                {
                    string name = benchmark.GetProperty("Method").GetString() + "(" + benchmark.GetProperty("Parameters").GetString() + ")";
                    cases.Add((name, benchmark.GetProperty("Statistics").GetProperty("Mean").GetDouble()));
                }
            }

            return cases;
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
