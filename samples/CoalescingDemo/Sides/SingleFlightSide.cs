namespace SharedTask.Samples.CoalescingDemo.Sides;

/// <summary>SharedTask's <see cref="SingleFlight{TKey, TValue}"/>: shares the load in flight per key, keeps nothing after it.</summary>
internal sealed class SingleFlightSide(int loadMilliseconds) : SimpleTaskHandlerSide(loadMilliseconds)
{
    private readonly SingleFlight<int, int> _flight = new();

    public override string Name => "SingleFlight";

    public override string Caching => "no";

    public override string Configuration =>
        "SingleFlight<int, int>.RunAsync(key, state, static load, token): the state-passing overload, no closure.";

    /// <summary>The request handler: the state-passing overload and a static lambda, so a joining request allocates nothing.</summary>
    protected override async SimpleTask<int> HandleRequestAsync(int key, CancellationToken cancellationToken) =>
        await _flight.RunAsync(
            key, Backend, static (key, backend, loadToken) => backend.LoadAsync(key, loadToken), cancellationToken) + 1;
}
