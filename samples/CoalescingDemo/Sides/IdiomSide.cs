using SharedTask.Samples.Comparison;

namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>The <see cref="LazyTaskCoalescer{TKey, TValue}"/> idiom: shares the load in flight per key, keeps nothing after it.</summary>
internal sealed class IdiomSide : TaskHandlerSide
{
    private readonly LazyTaskCoalescer<int, int> _coalescer;

    public IdiomSide(int loadMilliseconds)
        : base(loadMilliseconds)
    {
        SimulatedBackend backend = Backend;
        _coalescer = new LazyTaskCoalescer<int, int>(backend.LoadTaskAsync);
    }

    public override string Name => "Lazy<Task> idiom";

    public override string Caching => "no";

    public override string Configuration =>
        "ConcurrentDictionary<int, Lazy<Task<int>>>, entry removed by the load; a caller token cancels only that caller's " +
        "wait (Task.WaitAsync), and the load gets no token.";

    /// <summary>
    /// The request handler. <see cref="Task{TResult}.WaitAsync(CancellationToken)"/> with a token that cannot be canceled
    /// returns the shared task itself, so the measured requests (no token) pay nothing for it.
    /// </summary>
    protected override async Task<int> HandleRequestAsync(int key, CancellationToken cancellationToken) =>
        await _coalescer.GetAsync(key).WaitAsync(cancellationToken) + 1;
}
