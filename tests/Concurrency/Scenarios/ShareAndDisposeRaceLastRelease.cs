namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Share and Dispose race the last release of an async method's frame: the owner disposes its handle while the method
/// completes (the body's release may be the last one), and a stale struct copy of that handle calls Share at the same
/// time. Share must either win (and then own a live reference: the frame stays until it is disposed) or throw
/// ObjectDisposedException; it must never revive a frame whose count reached zero.
/// </summary>
internal sealed class ShareAndDisposeRaceLastRelease : Scenario
{
    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        SimpleTask<int> method = own.Took(Relay(own.Consuming(own.TaskOf(source))));
        PromisePtr<int> pointer = own.Share(method).ToPromisePtr();

        context.Spawn("completer", () =>
        {
            source.SetResult(4);
            own.Dispose(source);
        });
        context.Spawn("stale copy", () =>
        {
            try
            {
                SimpleTask<int> revived = method.Share();
                context.Model.Acquired(revived._frame);
                own.Dispose(revived);
            }
            catch (ObjectDisposedException)
            {
                // The owner's release came first.
            }
        });
        context.Spawn("pointer owner", () =>
        {
            PromisePtr<int> copy = own.Copy(pointer);
            own.Dispose(ref pointer);
            own.Dispose(ref copy);
        });

        own.Dispose(method);
    }

    private static async SimpleTask<int> Relay(SimpleTask<int> task) => await task;
}
