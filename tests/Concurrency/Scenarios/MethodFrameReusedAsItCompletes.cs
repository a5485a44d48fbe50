using SharedTask.Frames;
using SharedTask.Tests.Concurrency.Engine;

namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// An async method completes on the thread that opened its gate while another thread, polling, consumes its handle the
/// moment it completes (no registration), which ends the use and returns the frame; a third thread calls the same method
/// meanwhile and may rent that very frame. Whatever the completing thread does after publishing must not touch the
/// frame: the reused call resumes once with its own value.
/// </summary>
internal sealed class MethodFrameReusedAsItCompletes : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> gate = own.NewSource<int>();
        SimpleTask<int> first = own.Took(Echo(own.Consuming(own.TaskOf(gate)), 1));
        context.Model.ExpectResume("first call", 1);
        context.Model.ExpectResume("reused call", 2);

        context.Spawn("gate opener", () =>
        {
            gate.SetResult(0);
            own.Dispose(gate);
        });
        context.Spawn("reuser", () =>
        {
            SimpleTaskCompletionSource<int> otherGate = own.NewSource<int>();
            SimpleTask<int> second = own.Took(Echo(own.Consuming(own.TaskOf(otherGate)), 2));
            own.Dispose(own.Took(Awaiters.Record(own.Consuming(second), "reused call", context.Model)));
            otherGate.SetResult(0);
            own.Dispose(otherGate);
        });

        // Waits on the frame's published state without calling the library (a pure read, as WaitUntil requires), then
        // consumes the handle at once: the moment the completer published, not after it returned.
        FrameCore frame = first._frame!;
        context.WaitUntil(() => (FrameInspector.State(frame) & FrameState.Completed) != 0, "the first call published its result");
        context.Model.Resumed("first call", own.Consuming(first).GetAwaiter().GetResult());
    }

    private static async SimpleTask<int> Echo(SimpleTask<int> gate, int id) => await gate + id;
}
