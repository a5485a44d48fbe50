using System.Runtime.ExceptionServices;
using SharedTask.Frames;

namespace SharedTask.Combinators.Adapters;

/// <summary>
/// The frame of a SimpleTask that stands for a pending <see cref="Task"/> or <see cref="ValueTask"/> (the adapters of
/// <see cref="SimpleTaskConversions"/>): it keeps the awaited task, registers one continuation on it, and completes
/// with its outcome. That outcome can then be shared like any SimpleTask's (<c>Share()</c>, a <see cref="PromisePtr{T}"/>).
/// </summary>
/// <remarks>
/// Holders of a use: the handle returned to the caller (the primary pin) and the pending awaited task (the owner pin,
/// released in the same step that publishes the outcome). The continuation is one delegate per frame object, made at
/// its first use and kept across uses, so adapting a pending task allocates nothing more than the task's own
/// continuation slot (none when it had no other continuation).
/// </remarks>
internal abstract class AwaitedTaskFrame<TResult> : Frame<TResult>
{
    /// <summary>The delegate registered on the awaited task; made once per frame object.</summary>
    private Action? _onAwaitedCompleted;

    /// <summary>Starts a use held by the caller's handle and the awaited task; registers on it; returns the handle.</summary>
    private protected SimpleTask<TResult> StartUse()
    {
        uint generation = Activate(FrameState.OwnerPin | FrameState.PrimaryPin);

        // After Activate: the continuation may run at once (on the thread pool, or inline on another thread completing
        // the task), and completing needs the use to be live.
        RegisterOnAwaited(_onAwaitedCompleted ??= OnAwaitedCompleted);
        return new SimpleTask<TResult>(this, HandleToken.Primary(generation));
    }

    /// <summary>Registers <paramref name="continuation"/> on the awaited task, without capturing a context.</summary>
    private protected abstract void RegisterOnAwaited(Action continuation);

    /// <summary>Takes the awaited task (clearing it) and reads its result; throws its exception.</summary>
    private protected abstract TResult TakeResult();

    private void OnAwaitedCompleted()
    {
        TResult result = default!;
        ExceptionDispatchInfo? error = null;
        try
        {
            result = TakeResult();
        }
        catch (Exception exception)
        {
            error = ExceptionDispatchInfo.Capture(exception);
        }

        // The awaited task's last touch: publishes, releases its pin, resumes this frame's awaiters here.
        Complete(result, error, FrameState.OwnerPin);
    }

    /// <summary>The frame is never a continuation itself: its delegate, registered on the awaited task, is.</summary>
    internal sealed override void Run() => throw new InvalidOperationException("An adapter's frame is not a continuation.");
}
