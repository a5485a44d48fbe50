using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Two plain copies of one handle (one reference between them) are awaited on two threads while the operation completes
/// on a third: one by an async method (its frame is the waiter node), one by a foreign continuation registered as a
/// Task-based method does. Exactly one copy gets the value; the other's misuse is reported to that await alone
/// (ObjectDisposedException or InvalidOperationException from its own GetResult, never from OnCompleted); both resume
/// exactly once; and nothing reaches a recycled frame, however the registration races the last release.
/// </summary>
internal sealed class PlainCopiesAwaitedWhileCompleting : Scenario
{
    private static readonly string[] CopyAwaiters = ["method copy", "foreign copy"];

    private ShadowModel? _model;

    internal override void Run(IScenarioContext context)
    {
        // Not recorded in the model's reference counts: the two copies share one reference, and which of them releases
        // it is the race. The pool invariants and the resumptions are checked.
        _model = context.Model;
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task, copy = handle;
        context.Model.ExpectResumeWithAnyOf("method copy", 1, Awaiters.Misuse);
        context.Model.ExpectResumeWithAnyOf("foreign copy", 1, Awaiters.Misuse);

        context.Spawn("completer", () =>
        {
            source.SetResult(1);
            source.Dispose();
        });
        context.Spawn("foreign awaiter", () => Awaiters.RecordForeignValueOrMisuse(copy, "foreign copy", context.Model));
#pragma warning disable SHTASK001, SHTASK003 // The misuse under test: the handle and its plain copy are both awaited.
        Awaiters.RecordValueOrMisuse(handle, "method copy", context.Model).Dispose();
#pragma warning restore SHTASK001, SHTASK003
    }

    internal override void CheckEnd(IScenarioContext context)
    {
        int values = CopyAwaiters.Count(awaiter => Equals(_model!.Observed(awaiter), 1));
        context.Model.Check(values == 1, $"exactly one copy owns the reference and gets the value, but {values} did");
    }
}
