namespace SharedTask.Tests.Concurrency.Scenarios.KnownIssues;

/// <summary>
/// Two async methods await one handle (a misused struct copy) while it completes. The library validates the handle's
/// generation and then, separately, compare-exchanges its frame into the waiter slot; if the other consumer releases
/// the last reference in between, the stale registration lands in the recycled frame's slot (breaking invariant 3,
/// "a stale handle never changes the frame"). The stale awaiter is then resumed only when the frame's next use
/// completes, and hangs if the frame stays pooled. Misuse only: an owned reference keeps its frame from recycling.
/// </summary>
internal sealed class StaleAwaitRacesRecycle : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        // Nothing here is recorded in the model's reference counts: the two awaiters share one reference, so one of
        // their releases may take the producer's count. Only the pool-state invariants are checked.
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> contended = source.Task;
        context.Spawn("completer", () =>
        {
            source.SetResult(1);
            source.Dispose();
        });
        context.Spawn("first consumer", () => Awaiters.RecordMisuse(contended));
        Awaiters.RecordMisuse(contended);
    }
}
