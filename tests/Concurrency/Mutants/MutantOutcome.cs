namespace SharedTask.Tests.Concurrency.Mutants;

/// <summary>What exploring the scenarios against one mutant library gave.</summary>
internal sealed record MutantOutcome(int ExitCode, string Output, TimeSpan BuildTime, TimeSpan ExploreTime)
{
    /// <summary>Some scenario failed: the mutant was caught (killed).</summary>
    internal bool Killed => ExitCode == 1 && FirstFailure is not null;

    /// <summary>The explore command's closing line for a failure: scenario, iterations to failure, and why.</summary>
    internal string? FirstFailure =>
        Output.Split('\n').FirstOrDefault(line => line.StartsWith(CommandLine.FirstFailurePrefix, StringComparison.Ordinal))?.TrimEnd();

    internal static MutantOutcome NotRun(string why) => new(-2, why, TimeSpan.Zero, TimeSpan.Zero);
}
