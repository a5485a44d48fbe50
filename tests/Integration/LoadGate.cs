namespace SharedTask.Tests.Integration;

/// <summary>
/// The controllable part of one product's load in <see cref="GatedProductStore"/>: the test sees when the load started
/// and with which token, opens it when it chooses, and sees whether the token was canceled.
/// </summary>
internal sealed class LoadGate
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _canceled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a load of this product starts.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes when the token of a load of this product is canceled while the load waits.</summary>
    public Task Canceled => _canceled.Task;

    /// <summary>The token the back end passed to the latest load of this product.</summary>
    public CancellationToken LoadToken { get; private set; }

    /// <summary>Lets every load of this product, waiting or to come, complete.</summary>
    public void Open() => _opened.TrySetResult();

    /// <summary>The load's wait: until <see cref="Open"/>, or until <paramref name="loadToken"/> is canceled.</summary>
    public async Task HoldAsync(CancellationToken loadToken)
    {
        LoadToken = loadToken;
        _started.TrySetResult();
        try
        {
            await _opened.Task.WaitAsync(loadToken);
        }
        catch (OperationCanceledException) when (loadToken.IsCancellationRequested)
        {
            _canceled.TrySetResult();
            throw;
        }
    }
}
