using System.Diagnostics;
using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>A side whose request handler is an <c>async Task&lt;int&gt;</c> method (the idiom).</summary>
internal abstract class TaskHandlerSide(int loadMilliseconds) : ServiceSide(loadMilliseconds)
{
    public sealed override async Task RunClientAsync(int client, ClientRun run)
    {
        var random = new Random(client);
        while (!run.Stopping)
        {
            int key = random.Next(run.Keys);
            long start = Stopwatch.GetTimestamp();
            Task<int> response = HandleRequestAsync(key, CancellationToken.None);
            bool fromCache = response.IsCompleted;
            run.Complete(start, await response == SimulatedBackend.ValueOf(key) + 1);
            if (fromCache)
            {
                // A cache hit completes on this thread: without a yield, the client would loop here and starve the others.
                await Task.Yield();
            }
        }
    }

    public sealed override Task<int> RequestWithTokenAsync(int key, CancellationToken cancellationToken) =>
        HandleRequestAsync(key, cancellationToken);

    /// <summary>The request handler: the coalesced value for <paramref name="key"/>, plus one.</summary>
    protected abstract Task<int> HandleRequestAsync(int key, CancellationToken cancellationToken);
}
