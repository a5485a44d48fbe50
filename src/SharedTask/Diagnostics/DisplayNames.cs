namespace SharedTask.Diagnostics;

/// <summary>The names a user knows for what a frame runs, used by misuse messages, leak reports and ToString.</summary>
internal static class DisplayNames
{
    /// <summary><c>SimpleTask</c> for the non-generic task, else <c>SimpleTask&lt;Name&gt;</c>.</summary>
    internal static string Result<T>() => typeof(T) == typeof(VoidResult) ? "SimpleTask" : $"SimpleTask<{typeof(T).Name}>";

    /// <summary>
    /// The method an async state machine belongs to: the compiler names it <c>&lt;Method&gt;d__N</c>, nested in the
    /// method's type.
    /// </summary>
    internal static string AsyncMethod(Type stateMachine)
    {
        string name = stateMachine.Name;
        int open = name.IndexOf('<', StringComparison.Ordinal);
        int close = name.IndexOf('>', StringComparison.Ordinal);
        string method = open == 0 && close > 1 ? name[1..close] : name;
        return stateMachine.DeclaringType is { } declaring ? $"{declaring.Name}.{method}" : method;
    }
}
