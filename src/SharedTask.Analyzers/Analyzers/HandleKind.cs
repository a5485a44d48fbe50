namespace SharedTask.Analyzers;

/// <summary>Which of SharedTask's reference-owning handle types a type is.</summary>
internal enum HandleKind
{
    /// <summary>Not a handle.</summary>
    None,

    /// <summary><c>SimpleTask</c> or <c>SimpleTask&lt;T&gt;</c>: consumed exactly once (await, AsTask, AsValueTask, Dispose, ToPromisePtr, a move).</summary>
    Task,

    /// <summary><c>PromisePtr</c> or <c>PromisePtr&lt;T&gt;</c>: awaited any number of times, released once (Dispose, ToSimpleTask).</summary>
    Pointer,
}
