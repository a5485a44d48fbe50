using System.Globalization;
using System.Text;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Everything needed to understand and replay a failed iteration: what went wrong, where, under which strategy and
/// seed, and the schedule string that runs the same interleaving again.
/// </summary>
internal sealed class Failure : IExplorationFailure
{
    internal required FailureKind Kind { get; init; }

    internal required string Message { get; init; }

    /// <summary>The logical thread that observed the failure, or "engine" for end-of-iteration checks.</summary>
    internal required string Thread { get; init; }

    internal string Scenario { get; set; } = "";

    public string Strategy { get; set; } = "";

    internal ulong? Seed { get; set; }

    /// <summary>The failing iteration's number within its strategy's run, from 1.</summary>
    internal long Iteration { get; set; }

    internal int Steps { get; set; }

    internal string Schedule { get; set; } = "";

    internal string Trace { get; set; } = "";

    /// <summary>The line to paste to replay this failure.</summary>
    internal string ReplayArgument => $"{Scenario}@{Schedule}";

    /// <summary>Kind and message only: what a replay must reproduce.</summary>
    internal string Summary => $"{Kind}: {Message}";

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Concurrency failure in scenario '{Scenario}'");
        text.AppendLine(CultureInfo.InvariantCulture, $"  kind:      {Kind}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  message:   {Message}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  thread:    {Thread}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  strategy:  {Strategy}{(Seed is { } seed ? $", iteration seed {seed}" : "")}, iteration {Iteration}, {Steps} steps");
        text.AppendLine(CultureInfo.InvariantCulture, $"  schedule:  {Schedule}");
        text.AppendLine("  replay:    SHAREDTASK_CONCURRENCY_REPLAY='" + ReplayArgument + "' dotnet test tests/Concurrency --filter Scenario");
        text.AppendLine("         or: dotnet run --project tests/Concurrency -- replay '" + ReplayArgument + "'");
        text.AppendLine("  operations in the order they ran (step it was announced at, thread, point, subject), then where threads stopped:");
        text.Append(Trace);
        return text.ToString();
    }
}
