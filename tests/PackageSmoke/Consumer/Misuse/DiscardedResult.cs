using SharedTask;

/// <summary>SHTASK002: a SimpleTask dropped on the floor.</summary>
internal static class DiscardedResult
{
    internal static void Run() => Work();

    private static async SimpleTask Work() => await Task.Yield();
}
