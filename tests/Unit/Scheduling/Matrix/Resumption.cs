namespace SharedTask.Tests.Unit.Scheduling.Matrix;

/// <summary>What a resumed continuation saw: where it ran, and the ambient SynchronizationContext and TaskScheduler.</summary>
internal sealed record Resumption(string Where, string SynchronizationContext, string TaskScheduler)
{
    /// <summary>The continuation never ran within the bounded wait: a lost continuation.</summary>
    public static Resumption Lost { get; } = new("never (lost: not resumed within 10 s)", "-", "-");

    public override string ToString() =>
        $"{Where}, SynchronizationContext.Current = {SynchronizationContext}, TaskScheduler.Current = {TaskScheduler}";
}
