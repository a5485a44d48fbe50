using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// The async method builder behind <see cref="SimpleTask{T}"/>. Used by the compiler; not meant to be called directly.
/// </summary>
/// <typeparam name="T">The method's result type.</typeparam>
/// <remarks>
/// A method that completes without suspending keeps its result here and never rents a frame. On the first real
/// suspension the builder rents a frame from the pool of the exact state-machine type, and copies the state
/// machine into it (after setting its own fields, so the copy carries them).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SimpleTaskMethodBuilder<T>
{
    /// <summary>Null until the first suspension or a synchronous exception; then the frame this use runs in.</summary>
    private Frame<T>? _frame;

    /// <summary>The generation of <see cref="_frame"/>'s current use.</summary>
    private uint _generation;

    /// <summary>The result of a method that completed without suspending.</summary>
    private T _result;

    /// <summary>Creates a builder.</summary>
    /// <returns>A new builder.</returns>
    [SuppressMessage("Design", "CA1000", Justification = "The async method builder pattern requires a static Create.")]
    public static SimpleTaskMethodBuilder<T> Create() => default;

    /// <summary>The task the method returns: read once, by the compiler, after <see cref="Start"/>.</summary>
    public SimpleTask<T> Task => _frame is { } frame ? new SimpleTask<T>(frame, _generation) : new SimpleTask<T>(_result);

    /// <summary>Runs the method's synchronous part, restoring the caller's contexts afterwards.</summary>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="stateMachine">The state machine.</param>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        // The runtime's own Start (shared by every built-in builder) saves and restores ExecutionContext and
        // SynchronizationContext around the synchronous part; AsyncValueTaskMethodBuilder exposes it without
        // allocating anything.
        AsyncValueTaskMethodBuilder starter = default;
        starter.Start(ref stateMachine);
    }

    /// <summary>Not used: the state machine is copied into its frame, never boxed by the runtime.</summary>
    /// <param name="stateMachine">The boxed state machine.</param>
    public void SetStateMachine(IAsyncStateMachine stateMachine) => ArgumentNullException.ThrowIfNull(stateMachine);

    /// <summary>Completes the method with a result.</summary>
    /// <param name="result">The result.</param>
    public void SetResult(T result)
    {
        if (_frame is null)
        {
            _result = result;
        }
        else
        {
            _frame.CompleteBody(result, null, _generation);
        }
    }

    /// <summary>Completes the method with an exception (canceled if it is an <see cref="OperationCanceledException"/>).</summary>
    /// <param name="exception">The exception.</param>
    public void SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ExceptionDispatchInfo error = ExceptionDispatchInfo.Capture(exception);
        if (_frame is null)
        {
            _frame = SourceFrame<T>.RentFaulted(error, out _generation);
        }
        else
        {
            _frame.CompleteBody(default!, error, _generation);
        }
    }

    /// <summary>Suspends until <paramref name="awaiter"/> completes, flowing the execution context.</summary>
    /// <typeparam name="TAwaiter">The awaiter type.</typeparam>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RegisterFrame
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        StateMachineFrame<TStateMachine, T> frame = PrepareToSuspend(ref stateMachine);
        if (default(TAwaiter) is not null && awaiter is IFrameAwaiter)
        {
            RegisterFrame(ref awaiter, frame);
        }
        else
        {
            awaiter.OnCompleted(frame.MoveNextAction);
        }
    }

    /// <summary>Suspends until <paramref name="awaiter"/> completes.</summary>
    /// <typeparam name="TAwaiter">The awaiter type.</typeparam>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RegisterFrame
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        StateMachineFrame<TStateMachine, T> frame = PrepareToSuspend(ref stateMachine);
        if (default(TAwaiter) is not null && awaiter is IFrameAwaiter)
        {
            RegisterFrame(ref awaiter, frame);
        }
        else
        {
            awaiter.UnsafeOnCompleted(frame.MoveNextAction);
        }
    }

    /// <summary>
    /// Awaiting one of SharedTask's own awaiters: the frame itself becomes the waiter-list node (no allocation).
    /// For a value-type awaiter the optimizing JIT removes the box of the interface cast (and of the type test in the
    /// callers). Tier-0 code keeps it, 40 bytes per suspension until the method tiers up, so these methods are
    /// compiled fully optimized from the first call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RegisterFrame<TAwaiter>(ref TAwaiter awaiter, Waiter frame)
    {
        if (!((IFrameAwaiter)awaiter!).TryRegister(frame))
        {
            Continuations.ScheduleAfterLostRace(frame);
        }
    }

    /// <summary>Rents the frame on the first suspension; captures the execution context on every one.</summary>
    private StateMachineFrame<TStateMachine, T> PrepareToSuspend<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        StateMachineFrame<TStateMachine, T> frame;
        if (_frame is null)
        {
            frame = StateMachineFrame<TStateMachine, T>.RentRunning(out _generation);
            _frame = frame;

            // Copied after _frame and _generation are set: the frame's copy of this builder must know its frame.
            frame.StateMachine = stateMachine;
        }
        else
        {
            Debug.Assert(_frame is StateMachineFrame<TStateMachine, T>, "A builder only ever suspends its own state machine.");
            frame = Unsafe.As<StateMachineFrame<TStateMachine, T>>(_frame);
        }

        frame.CaptureExecutionContext();
        return frame;
    }
}
