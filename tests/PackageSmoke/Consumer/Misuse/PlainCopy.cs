using SharedTask;

/// <summary>SHTASK003: a plain struct copy of a pointer, then both copies disposed.</summary>
internal static class PlainCopy
{
    internal static void Run(PromisePtr<int> pointer)
    {
        PromisePtr<int> copy = pointer;
        copy.Dispose();
        pointer.Dispose();
    }
}
