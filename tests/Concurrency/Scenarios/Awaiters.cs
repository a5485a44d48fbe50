using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// The async methods scenarios await with: each one is a SimpleTask method (so its frame is a pooled state machine that
/// links itself into the awaited frame's waiter list) that tells the shadow model when and with what it resumed.
/// </summary>
internal static class Awaiters
{
    /// <summary>What an awaiter records when the awaited operation failed because its source was disposed uncompleted.</summary>
    internal const string BrokenPromise = "broken promise";

    /// <summary>What an awaiter of a misused handle records when its own use was reported as the misuse.</summary>
    internal const string Misuse = "misuse reported";

    /// <summary>Awaits <paramref name="task"/> (consuming it) and records the value.</summary>
    internal static async SimpleTask<int> Record(SimpleTask<int> task, string name, ShadowModel model)
    {
        int value = await task;
        model.Resumed(name, value);
        return value;
    }

    /// <summary>Awaits <paramref name="task"/> and records the value, or <see cref="BrokenPromise"/>.</summary>
    internal static async SimpleTask<int> RecordOutcome(SimpleTask<int> task, string name, ShadowModel model)
    {
        object outcome;
        try
        {
            outcome = await task;
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("disposed before it was completed", StringComparison.Ordinal))
        {
            outcome = BrokenPromise;
        }

        model.Resumed(name, outcome);
        return 0;
    }

    /// <summary>Awaits <paramref name="pointer"/> (which stays owned), records the value, then disposes the pointer it was given.</summary>
    internal static async SimpleTask<int> RecordPointer(PromisePtr<int> pointer, string name, ShadowModel model, Ownership own)
    {
        int value = await pointer;
        model.Resumed(name, value);
        own.Dispose(ref pointer);
        return value;
    }

    /// <summary>
    /// Awaits a handle that may be or become stale (a misused struct copy) and swallows the misuse error, which must be
    /// ObjectDisposedException (also when a recycle cleared the waiter slot between the generation check and the
    /// read). It records nothing: which user of the copy gets the value is the race.
    /// </summary>
    internal static void RecordMisuse(SimpleTask<int> stale) => Swallow(stale).Dispose();

    private static async SimpleTask<int> Swallow(SimpleTask<int> stale)
    {
        try
        {
            return await stale;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Awaits a handle that may be misused (a plain copy of another awaiter's handle, or one whose pointer is disposed
    /// meanwhile) and records the value or <see cref="Misuse"/>: the misuse must surface as ObjectDisposedException or
    /// InvalidOperationException from this await, nothing else.
    /// </summary>
    internal static async SimpleTask<int> RecordValueOrMisuse(SimpleTask<int> task, string name, ShadowModel model)
    {
        object outcome;
        try
        {
            outcome = await task;
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            outcome = Misuse;
        }

        model.Resumed(name, outcome);
        return 0;
    }

    /// <summary>As <see cref="RecordValueOrMisuse(SimpleTask{int}, string, ShadowModel)"/>, through a PromisePtr (which the caller disposes).</summary>
    internal static async SimpleTask<int> RecordValueOrMisuse(PromisePtr<int> pointer, string name, ShadowModel model)
    {
        object outcome;
        try
        {
            outcome = await pointer;
        }
        catch (ObjectDisposedException)
        {
            outcome = Misuse;
        }

        model.Resumed(name, outcome);
        return 0;
    }

    /// <summary>
    /// As <see cref="RecordForeign"/>, for a handle that may be misused: the continuation is registered as a Task-based
    /// method would, must never throw from OnCompleted, and records the value or <see cref="Misuse"/>.
    /// </summary>
    internal static void RecordForeignValueOrMisuse(SimpleTask<int> task, string name, ShadowModel model)
    {
        SimpleTask<int>.Awaiter awaiter = task.GetAwaiter();
        try
        {
            if (awaiter.IsCompleted)
            {
                model.Resumed(name, ValueOrMisuse(awaiter));
                return;
            }
        }
        catch (ObjectDisposedException)
        {
            model.Resumed(name, Misuse); // stale already at IsCompleted: reported to this await, synchronously
            return;
        }

        awaiter.UnsafeOnCompleted(() => model.Resumed(name, ValueOrMisuse(awaiter)));
    }

    private static object ValueOrMisuse(SimpleTask<int>.Awaiter awaiter)
    {
        try
        {
            return awaiter.GetResult();
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            return Misuse;
        }
    }

    /// <summary>Awaits one task and then a second: a frame that is a waiter-list node twice in one use.</summary>
    internal static async SimpleTask<int> RecordBoth(SimpleTask<int> first, SimpleTask<int> second, string name, ShadowModel model)
    {
        int value = await first;
        value += await second;
        model.Resumed(name, value);
        return value;
    }

    /// <summary>
    /// Registers a foreign (<see cref="Action"/>) continuation, as a Task-based async method would; if the task
    /// completes first, the continuation is handed to another thread, which the engine runs as a new logical thread.
    /// </summary>
    internal static void RecordForeign(SimpleTask<int> task, string name, ShadowModel model)
    {
        SimpleTask<int>.Awaiter awaiter = task.GetAwaiter();
        if (awaiter.IsCompleted)
        {
            model.Resumed(name, awaiter.GetResult());
            return;
        }

        awaiter.UnsafeOnCompleted(() => model.Resumed(name, awaiter.GetResult()));
    }
}
