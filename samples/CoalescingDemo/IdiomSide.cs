using System.Diagnostics;

namespace SharedTask.Samples.CoalescingDemo;

/// <summary>The service with the <see cref="LazyTaskCoalescer{TKey, TValue}"/> idiom; its request handler returns <see cref="Task{TResult}"/>.</summary>
internal sealed class IdiomSide : ServiceSide
{
    private readonly LazyTaskCoalescer<int, int> _coalescer;

    public IdiomSide(int loadMilliseconds)
        : base(loadMilliseconds)
    {
        SimulatedBackend backend = Backend;
        _coalescer = new LazyTaskCoalescer<int, int>(backend.LoadTaskAsync);
    }

    public override string Name => "ConcurrentDictionary<K, Lazy<Task<V>>>";

    public override async Task RunClientAsync(int client, ClientRun run)
    {
        var random = new Random(client);
        while (!run.Stopping)
        {
            int key = random.Next(run.Keys);
            long start = Stopwatch.GetTimestamp();
            int response = await HandleRequestAsync(key);
            run.Complete(key, start, response);
        }
    }

    private async Task<int> HandleRequestAsync(int key) => await _coalescer.GetAsync(key) + 1;
}
