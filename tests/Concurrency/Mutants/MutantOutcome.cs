namespace SharedTask.Tests.Concurrency.Mutants;

/// <summary>What exploring the scenarios against one mutant library with both engines gave.</summary>
internal sealed record MutantOutcome(int ExitCode, string Output, TimeSpan BuildTime, TimeSpan ExploreTime)
{
    /// <summary>The home engine's closing line for a failure (scenario, iterations to failure, why), or null if it missed.</summary>
    internal string? HomeCatch => Line(CommandLine.HomeFailurePrefix);

    /// <summary>Coyote's closing line for a failure, or null if it missed.</summary>
    internal string? CoyoteCatch => Line(CommandLine.CoyoteFailurePrefix);

    /// <summary>Whether Coyote's saved trace reproduced its failure when replayed.</summary>
    internal string? CoyoteReplay => Line(CommandLine.CoyoteReplayPrefix);

    internal static MutantOutcome NotRun(string why) => new(-2, why, TimeSpan.Zero, TimeSpan.Zero);

    private string? Line(string prefix) =>
        Output.Split('\n').FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?.TrimEnd()[prefix.Length..];
}
