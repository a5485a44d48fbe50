
namespace SharedTask.Frames;

/// <summary>
/// The marker a builder keeps in its frame field once its method completed without suspending (the result is in the
/// builder itself): one shared instance per result type, never rented, never a real frame. It lets a builder tell
/// "completed" from "not started" without a field of its own, and refuse a second completion.
/// </summary>
internal sealed class SynchronousCompletion<T> : Frame<T>
{
    internal static readonly SynchronousCompletion<T> Marker = new();

    private SynchronousCompletion()
    {
    }

    private protected override void ReturnToPool() => throw new InvalidOperationException("The synchronous-completion marker is not pooled.");

    internal override void Run() => throw new InvalidOperationException("The synchronous-completion marker is not a continuation.");

    internal override string Describe() => "a completed SimpleTask";
}
