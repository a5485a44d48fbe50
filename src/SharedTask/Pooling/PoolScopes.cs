namespace SharedTask.Pooling;

/// <summary>
/// The scoped pool current for this flow of execution (<see cref="SimpleTaskPool.UseScope(SimpleTaskFramePool)"/>).
/// </summary>
/// <remarks>
/// The scope is an <see cref="AsyncLocal{T}"/>: every frame captures the execution context at each suspension and
/// resumes under it, so the scope is saved and restored around every resume, and a frame resumed on a thread that is
/// inside another scope (a nested resume) runs under its own. Until the first scope is entered, rents do not read it
/// at all: a process that uses no scope pays one read of a static field per rent.
/// </remarks>
internal static class PoolScopes
{
    private static readonly AsyncLocal<SimpleTaskFramePool?> s_current = new();

    private static bool s_everEntered;

    /// <summary>The pool of the scope this code runs in, or null outside every scope.</summary>
    internal static SimpleTaskFramePool? Current => s_everEntered ? s_current.Value : null;

    internal static void Enter(SimpleTaskFramePool? pool)
    {
        s_everEntered = true;
        s_current.Value = pool;
    }
}
