using System.ComponentModel;
using System.Runtime.CompilerServices;
using SharedTask.Frames;

namespace SharedTask;

/// <summary>
/// The async method builder behind <see cref="SimpleTask"/>. Used by the compiler; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SimpleTaskMethodBuilder
{
    private SimpleTaskMethodBuilder<VoidResult> _inner;

    /// <summary>Creates a builder.</summary>
    /// <returns>A new builder.</returns>
    public static SimpleTaskMethodBuilder Create() => default;

    /// <summary>The task the method returns.</summary>
    public SimpleTask Task => new(_inner.Task);

    /// <summary>Runs the method's synchronous part.</summary>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="stateMachine">The state machine.</param>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => _inner.Start(ref stateMachine);

    /// <summary>Not used: the state machine is copied into its frame.</summary>
    /// <param name="stateMachine">The boxed state machine.</param>
    public void SetStateMachine(IAsyncStateMachine stateMachine) => _inner.SetStateMachine(stateMachine);

    /// <summary>Completes the method.</summary>
    public void SetResult() => _inner.SetResult(default);

    /// <summary>Completes the method with an exception.</summary>
    /// <param name="exception">The exception.</param>
    public void SetException(Exception exception) => _inner.SetException(exception);

    /// <summary>Suspends until <paramref name="awaiter"/> completes, flowing the execution context.</summary>
    /// <typeparam name="TAwaiter">The awaiter type.</typeparam>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine => _inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    /// <summary>Suspends until <paramref name="awaiter"/> completes.</summary>
    /// <typeparam name="TAwaiter">The awaiter type.</typeparam>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine => _inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}
