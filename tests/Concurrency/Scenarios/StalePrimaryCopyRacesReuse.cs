namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// An async method's handle (its primary reference) has a plain copy. After the handle was consumed (the use ended and
/// the frame went back to its pool) and a new call of the same method rented that frame, the stale copy is used on one
/// thread (released, asked whether it completed, awaited) while the new call completes on another and its own awaiter
/// waits. The waits fix that order; every interleaving of the steps within it is explored. Each use of the stale copy
/// must fail at the misuser, and the new call's primary reference, awaiter and result stay untouched.
/// </summary>
internal sealed class StalePrimaryCopyRacesReuse : Scenario
{
    private volatile bool _consumed;
    private volatile bool _reused;
    private int _refusals;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> gate = own.NewSource<int>();
        SimpleTask<int> handle = Echo(own.Consuming(own.TaskOf(gate)), 1), copy = handle; // one reference: not recorded
        context.Model.ExpectResume("new call", 2);

        context.Spawn("completer and consumer", () =>
        {
            gate.SetResult(0);
            own.Dispose(gate);
            _ = handle.GetAwaiter().GetResult();
            _consumed = true;
        });
        context.Spawn("reuser", () =>
        {
            context.WaitUntil(() => _consumed, "the old call's handle was consumed and its frame returned");
            SimpleTaskCompletionSource<int> otherGate = own.NewSource<int>();
            SimpleTask<int> call = own.Took(Echo(own.Consuming(own.TaskOf(otherGate)), 2));
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(call), "new call", context.Model)));
            _reused = true;
            otherGate.SetResult(0);
            own.Dispose(otherGate);
        });

        context.WaitUntil(() => _reused, "a new call rented the frame and awaits it");
        Refused(() => _ = copy.IsCompleted);
        Refused(copy.Dispose);
        Refused(() => copy.GetAwaiter().GetResult());
    }

    internal override void CheckEnd(IScenarioContext context) =>
        context.Model.Check(_refusals == 3, $"each use of the stale copy must be refused at the misuser, {_refusals} of 3 were");

    private void Refused(Action use)
    {
        try
        {
            use();
        }
        catch (ObjectDisposedException)
        {
            _refusals++;
        }
    }

    private static async SimpleTask<int> Echo(SimpleTask<int> gate, int id) => await gate + id;
}
