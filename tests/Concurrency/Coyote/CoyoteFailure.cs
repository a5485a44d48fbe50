using System.Globalization;
using System.Text;
using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// A failed Coyote iteration: what went wrong and on which logical thread, the strategy and seed that found it, the seam
/// points in the order they ran, and the Coyote reproducible trace (saved to a file) that replays it.
/// </summary>
internal sealed class CoyoteFailure : IExplorationFailure
{
    internal required FailureKind Kind { get; init; }

    internal required string Message { get; init; }

    /// <summary>The logical thread that observed the failure, or "engine" for end-of-iteration checks.</summary>
    internal required string Thread { get; init; }

    internal int Steps { get; init; }

    internal string Trace { get; set; } = "";

    internal string Scenario { get; set; } = "";

    public string Strategy { get; set; } = "";

    /// <summary>The Coyote seed of the strategy's run; iteration i ran with seed + i - 1.</summary>
    internal uint Seed { get; set; }

    /// <summary>The failing iteration's number within its strategy's run, from 1.</summary>
    internal int Iteration { get; set; }

    /// <summary>Where the Coyote reproducible trace was written (null if writing it failed, or for a replay).</summary>
    internal string? TraceFile { get; set; }

    /// <summary>The value of <see cref="CoyoteExplorer.ReplayVariable"/> (or the command-line argument) that replays this failure.</summary>
    internal string ReplayArgument => $"{Scenario}@{TraceFile}";

    /// <summary>Kind and message only: what a replay must reproduce.</summary>
    internal string Summary => $"{Kind}: {Message}";

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Coyote found a concurrency failure in scenario '{Scenario}'");
        text.AppendLine(CultureInfo.InvariantCulture, $"  kind:      {Kind}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  message:   {Message}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  thread:    {Thread}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  strategy:  {Strategy}, seed {Seed}, iteration {Iteration} (iteration seed {unchecked(Seed + (uint)Math.Max(Iteration - 1, 0))}), {Steps} steps");
        if (TraceFile is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  trace:     {TraceFile}");
            text.AppendLine("  replay:    " + CoyoteExplorer.ReplayVariable + "='" + ReplayArgument + "' dotnet test tests/Concurrency --filter Coyote");
            text.AppendLine("         or: dotnet run --project tests/Concurrency -- replay-coyote '" + ReplayArgument + "'");
        }

        text.AppendLine("  seam points in the order they ran (step it was announced at, thread, point, subject), then where threads stopped:");
        text.Append(Trace);
        return text.ToString();
    }
}
