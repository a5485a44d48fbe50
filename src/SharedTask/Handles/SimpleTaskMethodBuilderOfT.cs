using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask;

/// <summary>
/// The async method builder behind <see cref="SimpleTask{T}"/>. Used by the compiler; code that drives it directly gets
/// the builder contract of the runtime's own builders (a task read before completion is pending and sees the outcome;
/// completing twice throws).
/// </summary>
/// <typeparam name="T">The method's result type.</typeparam>
/// <remarks>
/// A method that completes without suspending keeps its result here and never rents a frame. On the first real
/// suspension the builder rents a frame from the pool of the exact state-machine type and copies the state machine
/// into it (after setting its own fields, so the copy carries them).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SimpleTaskMethodBuilder<T>
{
    /// <summary>
    /// Null until the method suspends, completes or its task is read; then its frame: a state-machine frame (suspended at
    /// least once), a source frame (faulted synchronously, or a task read before completion), or the shared
    /// <see cref="SynchronousCompletion{T}"/> marker (completed synchronously with <see cref="_result"/>).
    /// </summary>
    private Frame<T>? _frame;

    /// <summary>The generation of <see cref="_frame"/>'s use.</summary>
    private uint _generation;

    /// <summary>The result of a method that completed without suspending.</summary>
    private T _result;

    /// <summary>Creates a builder.</summary>
    /// <returns>A new builder.</returns>
    [SuppressMessage("Design", "CA1000", Justification = "The async method builder pattern requires a static Create.")]
    public static SimpleTaskMethodBuilder<T> Create() => default;

    /// <summary>
    /// The task the method returns. The compiler reads it once, after <see cref="Start"/>; read before completion by
    /// other code, it is a pending task that completes with the method.
    /// </summary>
    public SimpleTask<T> Task
    {
        get
        {
            if (_frame is null)
            {
                // Read before the method suspended or completed (never by the compiler): a promise that SetResult and
                // SetException complete, as the runtime's builders give.
                _frame = SourceFrame<T>.RentPromise(out _generation);
            }

            return ReferenceEquals(_frame, SynchronousCompletion<T>.Marker)
                ? new SimpleTask<T>(_result)
                : new SimpleTask<T>(_frame, HandleToken.Primary(_generation));
        }
    }

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
    /// <exception cref="InvalidOperationException">The method was already completed.</exception>
    public void SetResult(T result)
    {
        if (_frame is null)
        {
            _result = result;
            _frame = SynchronousCompletion<T>.Marker;
        }
        else if (!_frame.TryCompleteAsBuilder(_generation, result, error: null))
        {
            Throw.BuilderAlreadyCompleted();
        }
    }

    /// <summary>Completes the method with an exception (canceled if it is an <see cref="OperationCanceledException"/>).</summary>
    /// <param name="exception">The exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The method was already completed.</exception>
    public void SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ExceptionDispatchInfo error = ExceptionDispatchInfo.Capture(exception);
        if (_frame is null)
        {
            _frame = SourceFrame<T>.RentFaulted(error, out HandleToken handle);
            _generation = handle.Stamp;
        }
        else if (!_frame.TryCompleteAsBuilder(_generation, default!, error))
        {
            Throw.BuilderAlreadyCompleted();
        }
    }

    /// <summary>Suspends until <paramref name="awaiter"/> completes, flowing the execution context.</summary>
    /// <typeparam name="TAwaiter">The awaiter type.</typeparam>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see TryRegisterFrame
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        Waiter waiter = PrepareToSuspend(ref stateMachine);
        if (!TryRegisterFrame(ref awaiter, waiter))
        {
            awaiter.OnCompleted(ForeignContinuation<TStateMachine>(waiter));
        }
    }

    /// <summary>Suspends until <paramref name="awaiter"/> completes.</summary>
    /// <typeparam name="TAwaiter">The awaiter type.</typeparam>
    /// <typeparam name="TStateMachine">The state machine type.</typeparam>
    /// <param name="awaiter">The awaiter.</param>
    /// <param name="stateMachine">The state machine.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see TryRegisterFrame
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        Waiter waiter = PrepareToSuspend(ref stateMachine);
        if (!TryRegisterFrame(ref awaiter, waiter))
        {
            awaiter.UnsafeOnCompleted(ForeignContinuation<TStateMachine>(waiter));
        }
    }

    /// <summary>
    /// Awaiting one of SharedTask's own awaiters: the frame itself becomes the waiter node (no allocation); false for any
    /// other awaiter. For a value-type awaiter the optimizing JIT removes the box of the type test and the interface
    /// cast. Tier-0 code keeps it, 40 bytes per suspension until the method tiers up, so these methods are
    /// compiled fully optimized from the first call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryRegisterFrame<TAwaiter>(ref TAwaiter awaiter, Waiter frame)
    {
        if (default(TAwaiter) is null || awaiter is not IFrameAwaiter)
        {
            // A reference-type or foreign awaiter: the caller hands it the frame's MoveNext delegate.
            return false;
        }

        if (!((IFrameAwaiter)awaiter!).TryRegister(frame))
        {
            // Completed first, or refused (a misused handle): nobody else will resume it. It runs on this thread's
            // trampoline (queued if a loop runs here, so the state machine is never re-entered); its GetResult reports.
            Trampoline.Schedule(frame);
        }

        return true;
    }

    /// <summary>
    /// The delegate a foreign awaiter gets for <paramref name="waiter"/>: made on the first await of a foreign awaiter
    /// by each frame object (and kept across its uses), so a frame that only ever awaits SharedTask's own awaiters
    /// never allocates one.
    /// </summary>
    private static Action ForeignContinuation<TStateMachine>(Waiter waiter)
        where TStateMachine : IAsyncStateMachine =>
        waiter is StateMachineFrame<TStateMachine, T> frame
            ? frame.MoveNextAction
            : ((BoxedStateMachine<TStateMachine>)waiter).MoveNextAction;

    /// <summary>
    /// Rents the frame on the first suspension and captures the execution context on every one. Returns the waiter that
    /// resumes the state machine.
    /// </summary>
    private Waiter PrepareToSuspend<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        StateMachineFrame<TStateMachine, T> frame;
        if (_frame is StateMachineFrame<TStateMachine, T> running)
        {
            frame = running;
        }
        else if (_frame is null)
        {
            frame = StateMachineFrame<TStateMachine, T>.RentRunning(out _generation);
            _frame = frame;

            // Copied after _frame and _generation are set: the frame's copy of this builder must know its frame.
            frame.StateMachine = stateMachine;
        }
        else if (_frame is SourceFrame<T> promise)
        {
            return promise.SuspendBuilderMethod(ref stateMachine);
        }
        else
        {
            throw new InvalidOperationException("The async method already completed; it cannot suspend again.");
        }

        frame.CaptureExecutionContext();
        return frame;
    }
}
