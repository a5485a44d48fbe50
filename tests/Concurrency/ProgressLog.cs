namespace SharedTask.Tests.Concurrency;

/// <summary>
/// One summary line per scenario on the process's standard error, which `dotnet test` passes through whatever the
/// logger's verbosity (xunit captures test output only per test, shown with --logger "console;verbosity=detailed").
/// </summary>
internal static class ProgressLog
{
    internal static void Write(string line) => Console.Error.WriteLine("[concurrency] " + line);
}
