using SharedTask;

/// <summary>SHTASK001: one handle awaited twice.</summary>
internal static class ConsumedTwice
{
    internal static async Task<int> Run(SimpleTask<int> task) => await task + await task;
}
