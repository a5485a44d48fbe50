namespace SharedTask.Tests.Unit.Diagnostics;

/// <summary>
/// The meter's counts and leak tracking are process-wide, so their tests run alone: xunit runs a collection that
/// disables parallelization after every other test, with nothing beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideDiagnostics
{
    public const string Name = "Process-wide diagnostics";
}
