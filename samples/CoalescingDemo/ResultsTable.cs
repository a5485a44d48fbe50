using System.Globalization;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>Prints the measured sides next to each other, one row per metric.</summary>
internal static class ResultsTable
{
    private const int LabelWidth = 28;
    private const int ColumnWidth = 40;

    public static void Write(IReadOnlyList<SideResult> results, TextWriter output)
    {
        string Row(string label, Func<SideResult, string> cell) =>
            label.PadRight(LabelWidth) + string.Concat(results.Select(result => cell(result).PadLeft(ColumnWidth)));

        string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        string rule = new('-', LabelWidth + (ColumnWidth * results.Count));
        output.WriteLine(rule);
        output.WriteLine(Row(string.Empty, static result => result.Name));
        output.WriteLine(rule);
        output.WriteLine(Row("requests", result => Format($"{result.Requests:N0}")));
        output.WriteLine(Row("loads started", result => Format($"{result.LoadsStarted:N0}")));
        output.WriteLine(Row("coalescing (requests/load)", result => Format($"{result.RequestsPerLoad:N1} : 1")));
        output.WriteLine(Row("bytes allocated / request", result => Format($"{result.BytesPerRequest:N1} B")));
        output.WriteLine(Row("gen0 collections", result => Format($"{result.Gen0Collections:N0}")));
        output.WriteLine(Row("CPU time / request", result => Format($"{result.CpuMicrosecondsPerRequest:F2} us")));
        output.WriteLine(Row("throughput", result => Format($"{result.RequestsPerSecond:N0} req/s")));
        output.WriteLine(Row("latency p50", result => Format($"{result.P50.TotalMilliseconds:F2} ms")));
        output.WriteLine(Row("latency p99", result => Format($"{result.P99.TotalMilliseconds:F2} ms")));
        output.WriteLine(Row("wrong responses", result => Format($"{result.WrongResponses:N0}")));
        output.WriteLine(rule);
    }
}
