namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Many kinds of awaiter on one operation, each on its own thread, race its completion: two async methods (frames as
/// list nodes), a PromisePtr awaiter (reads without releasing) and a foreign continuation. Every one resumes exactly
/// once with the result, whichever side of the completing exchange it lands on.
/// </summary>
internal sealed class ManyAwaitersRace : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        SimpleTask<int> first = own.TaskOf(source);
        SimpleTask<int> second = own.Share(first);
        SimpleTask<int> foreign = own.Share(first);
        PromisePtr<int> pointer = own.Share(first).ToPromisePtr();
        foreach (string awaiter in new[] { "method 1", "method 2", "pointer", "foreign" })
        {
            context.Model.ExpectResume(awaiter, 3);
        }

        context.Spawn("awaiter 1", () => own.Dispose(own.Took(Awaiters.Record(own.Consuming(first), "method 1", context.Model))));
        context.Spawn("awaiter 2", () =>
        {
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(second), "method 2", context.Model)));
            Awaiters.RecordForeign(own.Consuming(foreign), "foreign", context.Model);
        });
        context.Spawn("pointer awaiter", () => own.Dispose(own.Took(Awaiters.RecordPointer(pointer, "pointer", context.Model, own))));

        source.SetResult(3);
        own.Dispose(source);
    }
}
