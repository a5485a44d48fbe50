namespace SharedTask.Tests.Concurrency.Scenarios;

/// <summary>
/// Two TrySetResult calls and the owner's Dispose race on one source, while one consumer awaits and another gives its
/// handle up. Exactly one completion wins (a TrySet, or else Dispose's broken promise), the awaiter sees that outcome,
/// and the frame is not recycled under a completion still being written.
/// </summary>
internal sealed class CompletionSourceTrySetRaces : Scenario
{
    private int _wins;
    private object? _winner;
    private object? _observed;

    internal override void Run(IScenarioContext context)
    {
        var own = new Ownership(context.Model);
        SimpleTaskCompletionSource<int> source = own.NewSource<int>();
        SimpleTask<int> awaited = own.TaskOf(source);
        SimpleTask<int> abandoned = own.TaskOf(source);
        context.Model.ExpectResume("awaiter", null);

        context.Spawn("setter 1", () => TrySet(source, 1));
        context.Spawn("setter 2", () => TrySet(source, 2));
        context.Spawn("owner", () => own.Dispose(source));

        own.Dispose(abandoned);
        own.Dispose(own.Took(Record(own.Consuming(awaited), context)));
    }

    internal override void CheckEnd(IScenarioContext context)
    {
        context.Model.Check(_wins <= 1, $"{_wins} TrySetResult calls returned true on one source");
        object? expected = _wins == 1 ? _winner : Awaiters.BrokenPromise;
        context.Model.Check(Equals(_observed, expected), $"the awaiter observed '{_observed}' but the completion that won was '{expected}'");
    }

    private void TrySet(SimpleTaskCompletionSource<int> source, int value)
    {
        if (source.TrySetResult(value))
        {
            Interlocked.Increment(ref _wins);
            Volatile.Write(ref _winner, value);
        }
    }

    private async SimpleTask<int> Record(SimpleTask<int> task, IScenarioContext context)
    {
        object outcome;
        try
        {
            outcome = await task;
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("disposed before it was completed", StringComparison.Ordinal))
        {
            outcome = Awaiters.BrokenPromise;
        }

        _observed = outcome;
        context.Model.Resumed("awaiter", null);
        return 0;
    }
}
