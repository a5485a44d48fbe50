using SharedTask;

/// <summary>SHTASK004: a pointer awaited after it was disposed.</summary>
internal static class PointerAfterDispose
{
    internal static async Task<int> Run(PromisePtr<int> pointer)
    {
        pointer.Dispose();
        return await pointer;
    }
}
