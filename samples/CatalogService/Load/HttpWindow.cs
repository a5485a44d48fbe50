namespace SharedTask.Samples.CatalogService.Load;

/// <summary>What one measured window against one service process counted (its latencies go to the back end's shared histogram).</summary>
internal sealed record HttpWindow(
    long Requests,
    long LoadsStarted,
    long AllocatedBytes,
    TimeSpan CpuTime,
    int Gen0Collections,
    TimeSpan Window,
    long WrongResponses);
