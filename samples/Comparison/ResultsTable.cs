using System.Globalization;

namespace SharedTask.Samples.Comparison;

/// <summary>Prints measured sides next to each other, one row per metric, one column per side.</summary>
public static class ResultsTable
{
    private const int LabelWidth = 30;
    private const int MinimumColumnWidth = 16;
    private const int ColumnGap = 2;

    /// <summary>Writes <paramref name="results"/> under <paramref name="title"/>; the cancellation rows appear when a side was probed.</summary>
    /// <param name="title">A line above the table.</param>
    /// <param name="results">The sides, in column order.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="results"/> is empty.</exception>
    public static void Write(string title, IReadOnlyList<SideResult> results, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        if (results.Count == 0)
        {
            throw new ArgumentException("A table needs at least one side.", nameof(results));
        }

        List<(string Label, Func<SideResult, string> Cell)> rows =
        [
            ("caches results", static result => result.Caching),
            ("requests", static result => Format($"{result.Requests:N0}")),
            ("loads started", static result => Format($"{result.LoadsStarted:N0}")),
            ("loads per key per second", static result => Format($"{result.LoadsPerKeyPerSecond:N1}")),
            ("coalescing (requests/load)", static result => Format($"{result.RequestsPerLoad:N1} : 1")),
            ("bytes allocated / request", static result => Format($"{result.BytesPerRequest:N1} B")),
            ("gen0 collections", static result => Format($"{result.Gen0Collections:N0}")),
            ("CPU time / request", static result => Format($"{result.CpuMicrosecondsPerRequest:F2} us")),
            ("throughput", static result => Format($"{result.RequestsPerSecond:N0} req/s")),
            ("latency p50", static result => Format($"{result.P50.TotalMilliseconds:F2} ms")),
            ("latency p99", static result => Format($"{result.P99.TotalMilliseconds:F2} ms")),
            ("wrong responses", static result => Format($"{result.WrongResponses:N0}")),
        ];
        if (results.Any(static result => result.OneCallerLeaves is not null))
        {
            rows.Add(("1 of 3 callers leaves: load", static result => result.OneCallerLeaves ?? "-"));
            rows.Add(("all 3 callers leave: load", static result => result.AllCallersLeave ?? "-"));
        }

        int columnWidth = ColumnGap + Math.Max(
            MinimumColumnWidth,
            results.Max(result => Math.Max(result.Name.Length, rows.Max(row => row.Cell(result).Length))));
        string Row(string label, Func<SideResult, string> cell) =>
            label.PadRight(LabelWidth) + string.Concat(results.Select(result => cell(result).PadLeft(columnWidth)));

        string rule = new('-', LabelWidth + (columnWidth * results.Count));
        output.WriteLine(title);
        output.WriteLine(rule);
        output.WriteLine(Row(string.Empty, static result => result.Name));
        output.WriteLine(rule);
        foreach ((string label, Func<SideResult, string> cell) in rows)
        {
            output.WriteLine(Row(label, cell));
        }

        output.WriteLine(rule);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
