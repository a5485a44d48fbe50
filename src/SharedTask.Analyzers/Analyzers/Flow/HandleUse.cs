namespace SharedTask.Analyzers.Flow;

/// <summary>What one read of a tracked handle variable does to the reference it holds.</summary>
internal enum HandleUse
{
    /// <summary>Reads without changing ownership: Share(), Copy() of a pointer's value, Is* properties, ToString(), a borrow.</summary>
    Read,

    /// <summary>SimpleTask: releases or moves the reference (await, AsTask, AsValueTask, Dispose, ToPromisePtr, a move).</summary>
    Consume,

    /// <summary>PromisePtr: needs the pointer non-null (await, Copy, ShareTask, ConfigureAwait, GetAwaiter, Is*).</summary>
    PointerUse,

    /// <summary>PromisePtr: Dispose(): releases the reference and nulls the variable; on a null pointer it does nothing.</summary>
    PointerRelease,

    /// <summary>PromisePtr: ToSimpleTask(): needs the pointer non-null, moves the reference out and nulls the variable.</summary>
    PointerMoveOut,

    /// <summary>Passed by <c>ref</c> or <c>out</c>: the callee may store anything; the variable holds an unknown new value.</summary>
    Overwrite,
}
