namespace SharedTask.Tests.Concurrency.Coyote;

/// <summary>
/// One logical thread of a scenario iteration under Coyote: a controlled task (its own Coyote operation and operation
/// group), or the test's root operation for thread 0. Coyote runs one operation at a time, so the fields are written by
/// the thread Coyote lets run and read after Coyote's own hand-over.
/// </summary>
internal sealed class CoyoteLogicalThread(CoyoteScenarioContext context, int id, string name)
{
    /// <summary>The iteration this thread belongs to; a thread of an earlier, aborted iteration must not touch a later one.</summary>
    internal CoyoteScenarioContext Context { get; } = context;

    /// <summary>Creation order in the iteration (t0 is the scenario's Run), as in the home engine's traces.</summary>
    internal int Id { get; } = id;

    internal string Name { get; } = name;

    /// <summary>Set while the thread waits in <see cref="CoyoteScenarioContext.WaitUntil"/>, for deadlock reports.</summary>
    internal string? BlockedOn { get; set; }

    /// <summary>The step number and the operation this thread announced last: what it does when Coyote next runs it.</summary>
    internal int PendingStep { get; set; }

    internal string? PendingPoint { get; set; }

    internal object? PendingSubject { get; set; }

    internal bool Finished { get; set; }

    public override string ToString() => $"t{Id}({Name})";
}
