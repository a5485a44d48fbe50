namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// An async method is suspended on a gate; its handle and a plain copy of it (one reference) are released on two threads
/// while a third opens the gate, and a fourth starts an unrelated call of the same method, which may rent the same kind
/// of frame. One release succeeds and the other throws at the misuser; the running body keeps its frame (a handle can
/// never release the body's hold); the unrelated call resumes once with its own value; every frame returns once.
/// </summary>
internal sealed class DoubleReleaseWhileBodyRuns : Scenario
{
    private int _releases;
    private int _refusals;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> gate = own.NewSource<int>();
        SimpleTask<int> handle = Gated(own.Consuming(own.TaskOf(gate)), 1), copy = handle;
        context.Model.ExpectResume("unrelated call", 2);

        context.Spawn("releaser", () => Release(copy));
        context.Spawn("gate opener", () =>
        {
            gate.SetResult(0);
            own.Dispose(gate);
        });
        context.Spawn("unrelated caller", () =>
        {
            SimpleTaskCompletionSource<int> otherGate = own.NewSource<int>();
            SimpleTask<int> unrelated = own.Took(Gated(own.Consuming(own.TaskOf(otherGate)), 2));
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(unrelated), "unrelated call", context.Model)));
            otherGate.SetResult(0);
            own.Dispose(otherGate);
        });
#pragma warning disable SHTASK001, SHTASK003 // The misuse under test: one reference released through the handle and through its plain copy.
        Release(handle);
#pragma warning restore SHTASK001, SHTASK003
    }

    internal override void CheckEnd(IScenarioContext context) =>
        context.Model.Check(
            _releases == 1 && _refusals == 1,
            $"one reference released twice must succeed once and be refused once, saw {_releases} releases and {_refusals} refusals");

    private void Release(SimpleTask<int> handle)
    {
        try
        {
            handle.Dispose();
            _releases++;
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            _refusals++;
        }
    }

    private static async SimpleTask<int> Gated(SimpleTask<int> gate, int id) => await gate + id;
}
