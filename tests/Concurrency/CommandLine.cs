namespace SharedTask.Tests.Concurrency;

/// <summary>The commands of <see cref="Program"/>.</summary>
internal static class CommandLine
{
    internal static int Run(string[] args, TextWriter output)
    {
        output.WriteLine("usage: replay '<scenario>@<schedule>' | explore [--stop-at-first-failure]");
        return args.Length == 0 ? 0 : 2;
    }
}
