namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>
/// Loads whose completion the test decides: every start hands out the task of a fresh completion source and records
/// the key and the load's token, so a test can complete, fail or inspect each load by its start index.
/// </summary>
internal sealed class ControlledLoads<TValue> : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SimpleTaskCompletionSource<TValue>> _sources = [];
    private readonly List<CancellationToken> _tokens = [];
    private readonly List<string> _keys = [];

    /// <summary>How many loads were started.</summary>
    public int Starts
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>The load delegate; a static lambda with this object as state, so passing it allocates nothing.</summary>
    public static Func<string, ControlledLoads<TValue>, CancellationToken, SimpleTask<TValue>> Load { get; } =
        static (key, loads, cancellationToken) => loads.Start(key, cancellationToken);

    /// <summary>Starts a load for <paramref name="key"/>; matches the stateless RunAsync overload.</summary>
    public SimpleTask<TValue> Start(string key, CancellationToken cancellationToken)
    {
        var source = new SimpleTaskCompletionSource<TValue>();
        lock (_gate)
        {
            _sources.Add(source);
            _tokens.Add(cancellationToken);
            _keys.Add(key);
        }

        return source.Task;
    }

    public CancellationToken TokenOf(int start)
    {
        lock (_gate)
        {
            return _tokens[start];
        }
    }

    public string KeyOf(int start)
    {
        lock (_gate)
        {
            return _keys[start];
        }
    }

    public void Complete(int start, TValue value) => SourceOf(start).SetResult(value);

    public void Fail(int start, Exception exception) => SourceOf(start).SetException(exception);

    public void Cancel(int start, CancellationToken cancellationToken) => SourceOf(start).SetCanceled(cancellationToken);

    /// <summary>Disposes every source; one never completed faults its remaining waiters instead of leaving them hanging.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (SimpleTaskCompletionSource<TValue> source in _sources)
            {
                source.Dispose();
            }

            _sources.Clear();
        }
    }

    private SimpleTaskCompletionSource<TValue> SourceOf(int start)
    {
        lock (_gate)
        {
            return _sources[start];
        }
    }
}
