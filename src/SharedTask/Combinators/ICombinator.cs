namespace SharedTask.Combinators;

/// <summary>
/// What an <see cref="InputWaiter"/> reports to: the combinator frame (WhenAll, WhenAny, WaitAsync) that owns the
/// input it waits for.
/// </summary>
internal interface ICombinator
{
    /// <summary>
    /// The input of <paramref name="input"/> completed and its outcome is in the node; called at most once per node,
    /// only while the combinator still wanted it, and never after the combinator detached it.
    /// </summary>
    void OnInputCompleted(InputWaiter input);
}
