namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// A PromisePtr is awaited by an async method on one thread (through a plain copy, as an await takes it) while its
/// owner disposes it on another and the operation completes on a third. The await resumes exactly once, with the value
/// if it read before the Dispose, else ObjectDisposedException; it never waits forever; every frame returns once.
/// </summary>
internal sealed class PromisePtrDisposedWhileAwaited : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        PromisePtr<int> pointer = own.TaskOf(source).ToPromisePtr();
        context.Model.ExpectResumeWithAnyOf("pointer awaiter", 4, Awaiters.Misuse);

        PromisePtr<int> awaited = pointer; // the awaiter's copy: no reference of its own
        context.Spawn("awaiter", () => Awaiters.RecordValueOrMisuse(awaited, "pointer awaiter", context.Model).Dispose());
        context.Spawn("completer", () =>
        {
            source.SetResult(4);
            own.Dispose(source);
        });
        own.Dispose(ref pointer);
    }
}
