namespace SharedTask.Tests.Unit.Scheduling.Matrix;

/// <summary>
/// One side of a matrix cell: the operation the code awaits (a SimpleTask, or a Task for the reference run) and the
/// awaiting code of each kind. The cell calls the members in order, on one dedicated thread.
/// </summary>
internal interface IAwaitedOperation
{
    /// <summary>Creates the pending operation (with no context current, so a relay captures nothing itself).</summary>
    void Prepare(ResumeContextMatrixTests.Awaited awaited);

    /// <summary>Runs <paramref name="code"/> up to its suspension on the operation; <paramref name="resumed"/> runs in the continuation.</summary>
    void StartAwaiting(ResumeContextMatrixTests.AwaitingCode code, ResumeContextMatrixTests.Configure configure, Action resumed);

    /// <summary>Completes the operation on the calling thread, in whatever context is current.</summary>
    void Complete();

    /// <summary>Releases whatever the run still owns, after the continuation ran.</summary>
    void Finish();
}
