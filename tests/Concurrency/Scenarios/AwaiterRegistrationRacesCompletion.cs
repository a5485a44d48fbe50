namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Two awaiters register while the operation completes on another thread: an async SimpleTask method (its frame is the
/// list node) and a foreign Action continuation (a pooled node; when it loses the race it is handed to another thread).
/// Neither wake-up may be lost or delivered twice.
/// </summary>
internal sealed class AwaiterRegistrationRacesCompletion : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        SimpleTask<int> task = own.TaskOf(source);
        SimpleTask<int> shared = own.Share(task);
        context.Model.ExpectResume("async method", 11);
        context.Model.ExpectResume("foreign continuation", 11);

        context.Spawn("completer", () =>
        {
            source.SetResult(11);
            own.Dispose(source);
        });

        own.Dispose(own.Took(Awaiters.Record(own.Consuming(task), "async method", context.Model)));
        Awaiters.RecordForeign(own.Consuming(shared), "foreign continuation", context.Model);
    }
}
