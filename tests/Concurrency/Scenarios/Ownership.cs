using System.Runtime.CompilerServices;
using SharedTask.Frames;
using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// The library's handle operations, each paired with what it does to the references the scenario owns, so the shadow
/// model knows a lower bound of every frame's count: a reference is recorded after the library hands it out and
/// dropped before the library call that releases it. A frame going back to its pool while the model still counts a
/// reference is then a library bug, never a timing artefact.
/// </summary>
internal sealed class Ownership(ShadowModel model)
{
    /// <summary>A completion source; the producer's reference is the scenario's.</summary>
    internal SimpleTaskCompletionSource<T> NewSource<T>()
    {
        var source = new SimpleTaskCompletionSource<T>();
        model.Acquired(FrameOf(source));
        return source;
    }

    /// <summary>A consumer handle from a source.</summary>
    internal SimpleTask<T> TaskOf<T>(SimpleTaskCompletionSource<T> source) => Took(source.Task);

    /// <summary>Records a handle the library just returned (an async method's result, a source's task).</summary>
    internal SimpleTask<T> Took<T>(SimpleTask<T> task)
    {
        model.Acquired(task._frame);
        return task;
    }

    /// <summary>A new handle to <paramref name="task"/>'s operation; <paramref name="task"/> is only borrowed (<c>in</c>).</summary>
    internal SimpleTask<T> Share<T>(in SimpleTask<T> task) => Took(task.Share());

    internal void Dispose<T>(SimpleTask<T> task)
    {
        model.Releasing(task._frame);
        task.Dispose();
    }

    /// <summary>The handle is about to be awaited (which releases it); call right before the await.</summary>
    internal SimpleTask<T> Consuming<T>(SimpleTask<T> task)
    {
        model.Releasing(task._frame);
        return task;
    }

    internal PromisePtr<T> Copy<T>(PromisePtr<T> pointer)
    {
        PromisePtr<T> copy = pointer.Copy();
        model.Acquired(FrameOf(copy));
        return copy;
    }

    internal void Dispose<T>(ref PromisePtr<T> pointer)
    {
        model.Releasing(FrameOf(pointer));
        pointer.Dispose();
    }

    /// <summary>Releases the producer's reference (and completes a source nobody completed).</summary>
    internal void Dispose<T>(SimpleTaskCompletionSource<T> source)
    {
        model.Releasing(FrameOf(source));
        source.Dispose();
    }

    internal static FrameCore? FrameOf<T>(PromisePtr<T> pointer) => PointerFields<T>.Task(ref pointer)._frame;

    internal static FrameCore? FrameOf<T>(SimpleTaskCompletionSource<T> source) => SourceFields<T>.Frame(ref source);

    private static class PointerFields<T>
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_task")]
        internal static extern ref SimpleTask<T> Task(ref PromisePtr<T> pointer);
    }

    private static class SourceFields<T>
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_frame")]
        internal static extern ref SourceFrame<T>? Frame(ref SimpleTaskCompletionSource<T> source);
    }
}
