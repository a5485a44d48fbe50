namespace SharedTask.Samples.CatalogService.Catalog;

/// <summary>
/// The body of <c>GET /stats</c>: process-wide totals since the service started, read by the load mode before and after
/// its measured window (the differences are the window's).
/// </summary>
/// <param name="Backend">The back end serving <c>/products</c>.</param>
/// <param name="LoadsStarted">Loads the store started.</param>
/// <param name="LoadsCanceled">Loads canceled by their token before they finished.</param>
/// <param name="AllocatedBytes">Bytes the process allocated (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, precise).</param>
/// <param name="CpuTimeMilliseconds">Processor time the process used, every thread.</param>
/// <param name="Gen0Collections">Generation-0 collections.</param>
public sealed record ServiceStats(
    CatalogBackend Backend,
    long LoadsStarted,
    long LoadsCanceled,
    long AllocatedBytes,
    double CpuTimeMilliseconds,
    int Gen0Collections);
