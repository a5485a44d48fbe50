namespace SharedTask.Tests.Concurrency;

/// <summary>Command-line entry (see README.md): replay a schedule, or explore the scenarios in this process.</summary>
internal static class Program
{
    internal static int Main(string[] args) => CommandLine.Run(args, Console.Out);
}
