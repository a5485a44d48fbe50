using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using SharedTask.Diagnostics;
using SharedTask.Frames;
using SharedTask.Pooling;
using SharedTask.Scheduling;

namespace SharedTask.Combinators;

/// <summary>
/// The frame of <c>WaitAsync</c>: one input, raced against a caller's token and a timeout. Whichever comes first
/// decides: the input's outcome, an <see cref="OperationCanceledException"/>, or a <see cref="TimeoutException"/>.
/// Only this wait ends early: the input's operation goes on, and its other awaiters are not touched.
/// </summary>
/// <remarks>
/// <para>Parties (see <see cref="CombinatorFrame{TResult}"/>): the input's node and each token registration. A
/// registration's party is left by whoever unregisters it successfully (<see cref="Withdraw"/>), or else by its
/// callback when it ends: <see cref="CancellationTokenRegistration.Unregister"/> returns true only when the callback
/// will never run.</para>
/// <para>The decider withdraws from the rest (detaches the node, unregisters the registrations). A decision can come
/// while the setup is still registering (the input completes, or the token fires, on another thread), before the
/// registration fields it would unregister are written; the <see cref="_phase"/> handshake then leaves the withdrawal to
/// the setup's end, so that exactly one of them withdraws, after both happened.</para>
/// <para>A canceled or timed-out wait detaches its node: the node stays in the input's waiter list, releases the
/// handle exactly once when the input completes, and goes back to its pool; this frame goes back as soon as the caller
/// has consumed the outcome.</para>
/// <para>The timeout comes from a <see cref="CancellationTokenSource"/> kept with the frame and reset for the next use
/// (as the SingleFlight load token is), so an armed timeout allocates nothing in steady state; a source whose timer
/// fired cannot be reset and is replaced.</para>
/// </remarks>
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "A pooled frame lives as long as its pool. Its timeout source's timer is stopped when each use ends.")]
internal sealed class WaitFrame<T> : CombinatorFrame<T>, IPooledItem<WaitFrame<T>>
{
    static WaitFrame<T> IPooledItem<WaitFrame<T>>.CreateForPool() => new();

    static bool IPooledItem<WaitFrame<T>>.IsFrame => true;

    /// <summary>The largest timeout a timer supports, in milliseconds (as <see cref="Task.WaitAsync(TimeSpan)"/>).</summary>
    private const uint MaxTimeoutMilliseconds = uint.MaxValue - 1;

    private static readonly Action<object?, CancellationToken> s_onCanceled =
        static (state, token) => Unsafe.As<WaitFrame<T>>(state!).OnCanceled(token);

    private static readonly Action<object?, CancellationToken> s_onTimedOut =
        static (state, _) => Unsafe.As<WaitFrame<T>>(state!).OnTimedOut();

    /// <summary>The setup finished registering (both registration fields are written).</summary>
    private const int SetupDone = 1;

    /// <summary>A party claimed completion.</summary>
    private const int Decided = 2;

    /// <summary><see cref="SetupDone"/> and <see cref="Decided"/>, each set once per use by an interlocked OR; cleared when the use ends.</summary>
    private int _phase;

    /// <summary>The registration on the caller's token. Written by the setup before it ends; read by the withdrawal.</summary>
    private CancellationTokenRegistration _canceled;

    /// <summary>The registration on <see cref="_timeout"/>'s token. Written by the setup before it ends; read by the withdrawal.</summary>
    private CancellationTokenRegistration _timedOut;

    /// <summary>The source whose timer is the timeout; created at the first timed use, reset (or replaced) when a use ends.</summary>
    private CancellationTokenSource? _timeout;

    /// <summary>Whether the current use armed <see cref="_timeout"/>. Set by the setup.</summary>
    private bool _timeoutArmed;

    /// <summary>
    /// Consumes <paramref name="input"/> and returns a handle that completes with its outcome, or as canceled or timed
    /// out, whichever comes first. <paramref name="timeout"/> is <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (other than infinite) or too large; the input is released.</exception>
    internal static SimpleTask<T> Start(SimpleTask<T> input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsValidTimeout(timeout))
        {
            input.Dispose();
            throw InvalidTimeout(timeout);
        }

        if (input.IsCompletedOrMisused || (!cancellationToken.CanBeCanceled && timeout == Timeout.InfiniteTimeSpan))
        {
            return input; // nothing to race: the caller's await reads it as it is
        }

        if (cancellationToken.IsCancellationRequested)
        {
            input.Dispose(); // the operation goes on; this wait is over before it started
            return SimpleTask.FromCanceled<T>(cancellationToken);
        }

        if (timeout == TimeSpan.Zero)
        {
            input.Dispose();
            return SimpleTask.FromException<T>(new TimeoutException());
        }

        WaitFrame<T> frame = Pool<WaitFrame<T>>.Rent();
        bool timed = timeout != Timeout.InfiniteTimeSpan;
        int registrations = (cancellationToken.CanBeCanceled ? 1 : 0) + (timed ? 1 : 0);
        uint generation = frame.BeginUse(inputCount: 1, registrations);
        frame.AddInput(0, input);
        frame.RegisterInputs();
        if (cancellationToken.CanBeCanceled)
        {
            frame.RegisterToken(cancellationToken);
        }

        if (timed)
        {
            frame.ArmTimeout(timeout);
        }

        frame.EndSetup();
        return new SimpleTask<T>(frame, HandleToken.Primary(generation));
    }

    /// <summary>Whether <paramref name="timeout"/> is infinite or a non-negative time a timer supports.</summary>
    internal static bool IsValidTimeout(TimeSpan timeout)
    {
        long milliseconds = (long)timeout.TotalMilliseconds;
        return milliseconds >= -1 && milliseconds <= MaxTimeoutMilliseconds;
    }

    /// <summary>The exception an invalid timeout gets.</summary>
    internal static ArgumentOutOfRangeException InvalidTimeout(TimeSpan timeout) =>
        new(
            nameof(timeout), timeout, "The timeout must be Timeout.InfiniteTimeSpan or between 0 and 4294967294 milliseconds.");

    private void RegisterToken(CancellationToken cancellationToken)
    {
        // A token canceled meanwhile runs the callback right here (it decides, and leaves its party itself).
        CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(s_onCanceled, this);
        _canceled = registration;
        if (registration == default && !cancellationToken.IsCancellationRequested)
        {
            // No registration and no callback: the token's source was disposed and can never fire.
            LeaveParty();
        }
    }

    private void ArmTimeout(TimeSpan timeout)
    {
        CancellationTokenSource source = _timeout ??= new CancellationTokenSource();
        _timeoutArmed = true;

        // Registered before the timer starts, so the callback never runs inside this call.
        _timedOut = source.Token.UnsafeRegister(s_onTimedOut, this);
        source.CancelAfter(timeout);
    }

    private protected override void Deliver(InputWaiter input)
    {
        try
        {
            if (TryDecide())
            {
                CompleteDecided(input.Error is null ? ((InputWaiter<T>)input).Value : default!, input.Error);
            }
        }
        finally
        {
            LeaveParty();
        }
    }

    private void OnCanceled(CancellationToken cancellationToken)
    {
        try
        {
            if (TryDecide())
            {
                CompleteDecided(default!, ExceptionDispatchInfo.Capture(new OperationCanceledException(cancellationToken)));
            }
        }
        finally
        {
            LeaveParty();
        }
    }

    private void OnTimedOut()
    {
        try
        {
            if (TryDecide())
            {
                CompleteDecided(default!, ExceptionDispatchInfo.Capture(new TimeoutException()));
            }
        }
        finally
        {
            LeaveParty();
        }
    }

    /// <summary>The setup's last step: withdraws if a decision came while it was registering.</summary>
    private void EndSetup()
    {
        if ((SetPhase(SetupDone) & Decided) != 0)
        {
            Withdraw();
        }
    }

    /// <summary>
    /// The decider publishes the outcome: it first withdraws from the rest (or leaves that to the setup, if the setup is
    /// still registering), then completes, which resumes this wait's awaiters.
    /// </summary>
    private void CompleteDecided(T result, ExceptionDispatchInfo? error)
    {
        if ((SetPhase(Decided) & SetupDone) != 0)
        {
            Withdraw();
        }

        Complete(result, error, FrameState.CompleterPin);
    }

    /// <summary>Detaches the node and unregisters both registrations; runs once per use, after the setup and the decision.</summary>
    private void Withdraw()
    {
        DetachInputs();

        // False for a registration whose callback runs or ran (it leaves its own party), and for none at all.
        if (_canceled.Unregister())
        {
            LeaveParty();
        }

        if (_timedOut.Unregister())
        {
            LeaveParty();
        }
    }

    private int SetPhase(int flag)
    {
        // The setup's end and the decision each set their flag and read the other's in one atomic step, so exactly one
        // of them (the second) finds the other's flag already set: that one withdraws, after both happened.
        SchedulingSeam.Point(SeamPoint.FrameStateUpdate, this);
        return Interlocked.Or(ref _phase, flag);
    }

    private protected override void ResetForNextUse()
    {
        base.ResetForNextUse();
        _phase = 0;
        _canceled = default;
        _timedOut = default;
        if (_timeoutArmed)
        {
            _timeoutArmed = false;
            if (!_timeout!.TryReset())
            {
                // Its timer fired (or was queued to): a canceled source cannot be reused.
                _timeout = null;
            }
        }
    }

    private protected override void ReturnToPool() => Pool<WaitFrame<T>>.Return(this);

    internal override string Describe() => $"{DisplayNames.Result<T>()} of WaitAsync";
}
