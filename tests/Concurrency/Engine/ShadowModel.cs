using System.Globalization;
using SharedTask.Frames;
using SharedTask.Scheduling;

namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// The rules of src/SharedTask/DESIGN.md, checked at every scheduling point of every iteration from what the library reports
/// through the seam and what the scenario declares (the references it holds, the awaiters it expects):
/// <list type="number">
/// <item><description>A pooled object is rented by one owner at a time and returned exactly once per rent.</description></item>
/// <item><description>A frame goes back to its pool only with a zero count and while the scenario holds no reference to it.</description></item>
/// <item><description>Nothing changes a frame's state word or waiter slot while the frame is in its pool (checked at every
/// point), and a rented frame comes out exactly as it went in (same state word, empty waiter slot, no exception, unlinked).</description></item>
/// <item><description>Every expected awaiter resumes exactly once, with its own operation's result.</description></item>
/// <item><description>At the end every rented object is back in its pool (or retired at the last generation), with no live seat.</description></item>
/// </list>
/// The model knows nothing about the engine: a second engine (Coyote) would feed it from the same seam.
/// </summary>
internal sealed class ShadowModel(Action<string> violation)
{
    private readonly Dictionary<object, int> _labels = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _rented = new(ReferenceEqualityComparer.Instance);

    /// <summary>Objects in a pool, with the frame state word they had when they went back.</summary>
    private readonly Dictionary<object, long> _pooled = new(ReferenceEqualityComparer.Instance);

    /// <summary>References the scenario holds per frame: a lower bound of the real count (taken after, dropped before).</summary>
    private readonly Dictionary<object, int> _liveReferences = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, AwaiterRecord> _awaiters = new(StringComparer.Ordinal);

    /// <summary>Rents seen in this iteration.</summary>
    internal int Rents { get; private set; }

    /// <summary>Called before the library's operation at every scheduling point (after the rent for PoolRent).</summary>
    internal void OnPoint(SeamPoint point, object subject)
    {
        switch (point)
        {
            case SeamPoint.PoolRent:
                OnRent(subject);
                break;
            case SeamPoint.PoolReturn:
                OnReturn(subject);
                break;
        }
    }

    /// <summary>
    /// Checks that no frame in a pool changed since it went back: called at every scheduling point, so a write that
    /// lands on a recycled frame is caught right after the operation that made it (a compare-exchange that fails on a
    /// recycled frame changes nothing and is fine).
    /// </summary>
    internal void VerifyPooledFrames(Func<string> lastOperation)
    {
        foreach ((object item, long stateWhenReturned) in _pooled)
        {
            if (item is not FrameCore frame)
            {
                continue;
            }

            long state = FrameInspector.State(frame);
            if (state != stateWhenReturned)
            {
                violation($"{Name(item)} changed while in its pool: state word {stateWhenReturned:X16} became {state:X16} " +
                    $"(last operation: {lastOperation()}); something still acts on a recycled frame");
            }
            else if (FrameInspector.Waiters(frame) is { } waiters)
            {
                violation($"{Name(item)} got a waiter slot of {Name(waiters)} while in its pool (last operation: {lastOperation()}); " +
                    "something still acts on a recycled frame");
            }
        }
    }

    /// <summary>The scenario now owns a reference to <paramref name="frame"/> (call after the library gave it).</summary>
    internal void Acquired(object? frame)
    {
        if (frame is not null)
        {
            _liveReferences[frame] = _liveReferences.GetValueOrDefault(frame) + 1;
        }
    }

    /// <summary>The scenario is about to give up a reference to <paramref name="frame"/> (call before the library call).</summary>
    internal void Releasing(object? frame)
    {
        if (frame is null)
        {
            return;
        }

        int live = _liveReferences.GetValueOrDefault(frame);
        if (live == 0)
        {
            violation($"the scenario releases a reference to {Label(frame)} it does not hold (scenario bug)");
        }

        _liveReferences[frame] = live - 1;
    }

    /// <summary>Declares an awaiter that must resume exactly once with <paramref name="expected"/>.</summary>
    internal void ExpectResume(string awaiter, object? expected) => _awaiters.Add(awaiter, new AwaiterRecord([expected]));

    /// <summary>
    /// Declares an awaiter that must resume exactly once, with one of <paramref name="allowed"/> (a misused handle may
    /// legitimately get the value or the misuse error, depending on who wins the race).
    /// </summary>
    internal void ExpectResumeWithAnyOf(string awaiter, params object?[] allowed) => _awaiters.Add(awaiter, new AwaiterRecord(allowed));

    /// <summary>What <paramref name="awaiter"/> observed (null if it has not resumed).</summary>
    internal object? Observed(string awaiter) => _awaiters.TryGetValue(awaiter, out AwaiterRecord? record) ? record.Observed : null;

    /// <summary>Records that <paramref name="awaiter"/> resumed and observed <paramref name="value"/>.</summary>
    internal void Resumed(string awaiter, object? value)
    {
        if (!_awaiters.TryGetValue(awaiter, out AwaiterRecord? record))
        {
            violation($"awaiter '{awaiter}' resumed but was never expected (scenario bug)");
            return;
        }

        record.Resumptions++;
        record.Observed = value;
        if (record.Resumptions > 1)
        {
            violation($"awaiter '{awaiter}' resumed {record.Resumptions} times; a continuation must run exactly once");
        }

        if (!record.Allowed.Contains(value))
        {
            violation($"awaiter '{awaiter}' observed {Describe(value)} but its operation produced {string.Join(" or ", record.Allowed.Select(Describe))}");
        }
    }

    /// <summary>Whether <paramref name="awaiter"/> has resumed (scenario threads wait on this).</summary>
    internal bool HasResumed(string awaiter) => _awaiters.TryGetValue(awaiter, out AwaiterRecord? record) && record.Resumptions > 0;

    /// <summary>A scenario-specific check.</summary>
    internal void Check(bool condition, string message)
    {
        if (!condition)
        {
            violation(message);
        }
    }

    /// <summary>The end-of-iteration checks, after every logical thread finished.</summary>
    internal void CheckEnd()
    {
        VerifyPooledFrames(() => "the end of the iteration");
        foreach ((string awaiter, AwaiterRecord record) in _awaiters)
        {
            if (record.Resumptions == 0)
            {
                violation($"awaiter '{awaiter}' never resumed: a lost wake-up");
            }
        }

        foreach (object item in _pooled.Keys)
        {
            if (item is FrameCore frame && FrameInspector.LiveSeats(frame) is > 0 and int live)
            {
                violation($"{Label(item)} is in its pool with {live} live seat(s): a reference outlived its use");
            }
        }

        foreach (object item in _rented)
        {
            if (item is FrameCore frame && FrameInspector.Generation(frame) == uint.MaxValue && FrameInspector.Count(frame) == 0)
            {
                continue; // retired at the last generation: left to the garbage collector by design
            }

            violation($"{Label(item)} was rented and never returned: a leaked frame or node (count {CountOf(item)})");
        }

        foreach ((object frame, int live) in _liveReferences)
        {
            if (live != 0)
            {
                violation($"the scenario still holds {live} reference(s) to {Label(frame)} at the end (scenario bug)");
            }
        }
    }

    /// <summary>A short, per-iteration name for an object (its type and the order it was first seen in), with a frame's state now.</summary>
    internal string Label(object? subject) =>
        subject is FrameCore frame
            ? Name(subject) + string.Create(CultureInfo.InvariantCulture, $"[gen {FrameInspector.Generation(frame)}, {DescribeFlags(FrameInspector.State(frame))}count {FrameInspector.Count(frame)}]")
            : Name(subject);

    /// <summary>The object's per-iteration name alone: type and order first seen.</summary>
    internal string Name(object? subject)
    {
        if (subject is null)
        {
            return "null";
        }

        if (!_labels.TryGetValue(subject, out int number))
        {
            number = _labels.Count + 1;
            _labels.Add(subject, number);
        }

        return TypeLabel(subject.GetType()) + "#" + number.ToString(CultureInfo.InvariantCulture);
    }

    private void OnRent(object item)
    {
        Rents++;
        if (!_rented.Add(item))
        {
            violation($"the pool handed out {Label(item)} while it was still rented: one object, two owners");
            return;
        }

        if (_pooled.Remove(item, out long stateWhenReturned) && item is FrameCore returnedFrame
            && FrameInspector.State(returnedFrame) != stateWhenReturned)
        {
            violation($"{Label(item)} changed while in its pool (state word {stateWhenReturned:X16} became {FrameInspector.State(returnedFrame):X16})");
        }

        if (item is Waiter { Next: not null })
        {
            violation($"{Label(item)} came out of its pool still linked into a waiter list");
        }

        if (item is FrameCore frame)
        {
            if (FrameInspector.Count(frame) != 0)
            {
                violation($"{Label(item)} came out of its pool with {FrameInspector.Count(frame)} reference(s)");
            }

            if (FrameInspector.Waiters(frame) is { } waiters)
            {
                violation($"{Label(item)} came out of its pool with a non-empty waiter slot ({Label(waiters)})");
            }

            if (FrameInspector.Exception(frame) is not null)
            {
                violation($"{Label(item)} came out of its pool still holding an exception");
            }
        }
    }

    private void OnReturn(object item)
    {
        if (!_rented.Remove(item))
        {
            violation(_pooled.ContainsKey(item)
                ? $"{Label(item)} went back to its pool twice"
                : $"{Label(item)} went back to a pool it was not rented from in this iteration");
            return;
        }

        long state = 0;
        if (item is FrameCore frame)
        {
            state = FrameInspector.State(frame);
            if (FrameState.Count(state) != 0)
            {
                violation($"{Label(item)} went back to its pool with {FrameState.Count(state)} live reference(s) counted");
            }

            if (_liveReferences.GetValueOrDefault(item) is > 0 and int live)
            {
                violation($"{Label(item)} went back to its pool while the scenario still owns {live} reference(s) to it");
            }
        }

        _pooled[item] = state;
    }

    private static string DescribeFlags(long state)
    {
        var flags = new System.Text.StringBuilder();
        foreach ((long bit, string name) in FlagNames)
        {
            if ((state & bit) != 0)
            {
                flags.Append(name).Append(", ");
            }
        }

        return flags.ToString();
    }

    private static readonly (long Bit, string Name)[] FlagNames =
    [
        (FrameState.Completed, "completed"), (FrameState.OwnerPin, "owner"), (FrameState.CompleterPin, "completer"),
        (FrameState.RegistrationPin, "registration"), (FrameState.PrimaryPin, "primary"), (FrameState.PrimaryWaiting, "primary waiting"),
        (FrameState.ScanPin, "scan"), (FrameState.UncountedSeats, "uncounted seats"), (FrameState.CompletionClaimed, "claimed"),
        (FrameState.AbandonPin, "abandon"),
    ];

    private static string CountOf(object item) =>
        item is FrameCore frame ? FrameInspector.Count(frame).ToString(CultureInfo.InvariantCulture) : "n/a";

    private static string Describe(object? value) => value is null ? "null" : $"'{value}'";

    private static string TypeLabel(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        Type[] arguments = type.GetGenericArguments();

        // A state machine type is named <Method>d__N: the method name is what a reader recognizes.
        string Short(Type argument) =>
            argument.Name.StartsWith('<') ? argument.Name[1..argument.Name.IndexOf('>', StringComparison.Ordinal)] : argument.Name;

        return $"{name}<{string.Join(",", arguments.Select(Short))}>";
    }

    private sealed class AwaiterRecord(object?[] allowed)
    {
        internal object?[] Allowed { get; } = allowed;

        internal object? Observed { get; set; }

        internal int Resumptions { get; set; }
    }
}
