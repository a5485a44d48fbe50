namespace SharedTask.Samples.CoalescingDemo;

/// <summary>What one side measured inside its window.</summary>
internal sealed record SideResult(
    string Name,
    long Requests,
    long LoadsStarted,
    long AllocatedBytes,
    TimeSpan Window,
    TimeSpan P50,
    TimeSpan P99,
    TimeSpan CpuTime,
    int Gen0Collections,
    long WrongResponses)
{
    /// <summary>Requests served per load started: how many callers shared each load.</summary>
    public double RequestsPerLoad => LoadsStarted == 0 ? 0 : Requests / (double)LoadsStarted;

    public double BytesPerRequest => Requests == 0 ? 0 : AllocatedBytes / (double)Requests;

    public double RequestsPerSecond => Requests / Window.TotalSeconds;

    /// <summary>Processor time the whole process used per request (both cores, every thread).</summary>
    public double CpuMicrosecondsPerRequest => Requests == 0 ? 0 : CpuTime.TotalMicroseconds / Requests;
}
