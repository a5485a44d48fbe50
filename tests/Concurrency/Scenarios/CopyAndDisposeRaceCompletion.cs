namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// PromisePtr copies and disposals racing the completion of the operation they point to: every copy keeps the frame
/// alive, the awaiter of a copy sees the result, and the frame goes back exactly once, after the last disposal.
/// </summary>
internal sealed class CopyAndDisposeRaceCompletion : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        PromisePtr<int> pointer = own.TaskOf(source).ToPromisePtr();
        PromisePtr<int> forCopier = own.Copy(pointer);
        context.Model.ExpectResume("awaiter of a copy", 7);

        context.Spawn("completer", () =>
        {
            source.SetResult(7);
            own.Dispose(source);
        });
        context.Spawn("copier", () =>
        {
            PromisePtr<int> copy = own.Copy(forCopier);
            own.Dispose(ref forCopier);

            // The awaiter method takes over the copy's reference and disposes it after reading the result.
            own.Dispose(own.Took(Awaiters.RecordPointer(copy, "awaiter of a copy", context.Model, own)));
        });

        own.Dispose(ref pointer);
    }
}
