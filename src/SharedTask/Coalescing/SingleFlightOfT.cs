using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharedTask.Coalescing.Flights;
using SharedTask.Diagnostics.Metering;
using SharedTask.Frames;

namespace SharedTask;

/// <summary>
/// Request coalescing: while a load for a key is in flight, every caller asking for that key gets a handle to the
/// same load instead of starting another. When the load finishes, every waiting caller gets its outcome (value or
/// exception) and the key is free again: outcomes are not cached.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The type of a load's result.</typeparam>
/// <remarks>
/// <para><b>Thread safety.</b> Every member may be called from any number of threads at once.</para>
/// <para><b>Ownership.</b> <c>RunAsync</c> returns an ordinary owning <see cref="SimpleTask{T}"/>: await it
/// once (or <c>Dispose()</c> it to stop waiting, or move it into a <see cref="PromisePtr{T}"/>). Each caller's handle is
/// its own; the load's frame goes back to its pool when the last caller has released its handle.</para>
/// <para><b>Cancellation.</b> A caller's token cancels only that caller's wait: its handle completes with an
/// <see cref="OperationCanceledException"/> while the load goes on for the others. A caller that releases its handle
/// without awaiting it leaves the same way. When every caller has left before the load finished, the token passed to
/// the load is canceled (the load's own code decides what that stops) and its outcome is discarded.</para>
/// <para><b>The load.</b> It runs synchronously on the thread of the call that starts it, until its first suspension.
/// The token passed to it is valid until the load's task completes; do not keep it after that (the source that issues
/// it is reset and reused for later loads). A load that throws, or completes with an exception, delivers that
/// exception to every waiting caller. To coalesce a <see cref="Task{TResult}"/>-returning operation, write the load as
/// an async lambda that awaits it: <c>async (key, ct) =&gt; await client.GetAsync(key, ct)</c>.</para>
/// <para><b>Cost.</b> A caller that joins a load in flight allocates nothing (with or without a cancelable token, in
/// steady state). Starting a load costs one dictionary node plus whatever the load itself allocates.</para>
/// <para><b>Shared or not.</b> The overloads with an <c>out bool joined</c> tell each caller whether it joined a load
/// another caller started (its outcome is a coalesced one) or started the load itself.</para>
/// <para><b>Observability.</b> Joins and starts are counted by the <c>sharedtask.singleflight.hits</c> and
/// <c>sharedtask.singleflight.misses</c> instruments of the <see cref="SharedTaskMetrics.MeterName"/> meter.</para>
/// </remarks>
public sealed class SingleFlight<TKey, TValue>
    where TKey : notnull
{
    private static readonly Func<TKey, Func<TKey, CancellationToken, SimpleTask<TValue>>, CancellationToken, SimpleTask<TValue>>
        s_invokeStateless = static (key, load, cancellationToken) => load(key, cancellationToken);

    /// <summary>Key to the flight in progress. An entry names one use of a flight frame (see <see cref="FlightEntry{TKey, TValue}"/>).</summary>
    private readonly ConcurrentDictionary<TKey, FlightEntry<TKey, TValue>> _flights;

    /// <summary>Entries in <see cref="_flights"/>, counted on every successful add and remove (ConcurrentDictionary.Count takes every lock).</summary>
    private int _inFlightCount;

    /// <summary>Creates a coalescer that compares keys with <see cref="EqualityComparer{T}.Default"/>.</summary>
    public SingleFlight()
        : this(comparer: null)
    {
    }

    /// <summary>Creates a coalescer that compares keys with <paramref name="comparer"/>.</summary>
    /// <param name="comparer">The key comparer, or null for <see cref="EqualityComparer{T}.Default"/>.</param>
    public SingleFlight(IEqualityComparer<TKey>? comparer) => _flights = new ConcurrentDictionary<TKey, FlightEntry<TKey, TValue>>(comparer);

    /// <summary>The comparer that decides which keys share a load.</summary>
    public IEqualityComparer<TKey> Comparer => _flights.Comparer;

    /// <summary>How many keys have a load in flight (a snapshot: it may change right after it is read).</summary>
    public int InFlightCount => Volatile.Read(ref _inFlightCount);

    /// <summary>
    /// Returns a handle to the load in flight for <paramref name="key"/>, starting <paramref name="load"/> if there is none.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="load">Starts the load for a key, given the token that is canceled if every caller leaves before it finishes.</param>
    /// <param name="cancellationToken">Cancels this caller's wait only.</param>
    /// <returns>An owning handle to the load's outcome; await it once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="load"/> is null.</exception>
    [SuppressMessage(
        "ApiDesign",
        "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads",
        Justification = "The longer overload adds an out parameter, which no call can omit: every call that binds here today still does, unambiguously.")]
    public SimpleTask<TValue> RunAsync(
        TKey key, Func<TKey, CancellationToken, SimpleTask<TValue>> load, CancellationToken cancellationToken = default) =>
        RunAsync(key, load, out _, cancellationToken);

    /// <summary>
    /// Returns a handle to the load in flight for <paramref name="key"/>, starting <paramref name="load"/> if there is
    /// none, and tells whether this caller joined a load another caller started (its result is a shared one).
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="load">Starts the load for a key, given the token that is canceled if every caller leaves before it finishes.</param>
    /// <param name="joined">
    /// True when this call joined a load already in flight (the outcome is coalesced: other callers get the same one);
    /// false when it started the load itself, or returned at once because its token was already canceled.
    /// </param>
    /// <param name="cancellationToken">Cancels this caller's wait only (<see cref="CancellationToken.None"/> for none).</param>
    /// <returns>An owning handle to the load's outcome; await it once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="load"/> is null.</exception>
    public SimpleTask<TValue> RunAsync(
        TKey key, Func<TKey, CancellationToken, SimpleTask<TValue>> load, out bool joined, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        return RunAsync(key, load, s_invokeStateless, out joined, cancellationToken);
    }

    /// <summary>
    /// Returns a handle to the load in flight for <paramref name="key"/>, starting <paramref name="load"/> with
    /// <paramref name="state"/> if there is none. Passing state instead of capturing it keeps hot paths free of closures.
    /// </summary>
    /// <typeparam name="TState">The type of the state passed to <paramref name="load"/>.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="state">Passed to <paramref name="load"/> when this call starts the load; unused when it joins one.</param>
    /// <param name="load">Starts the load for a key, given the state and the token that is canceled if every caller leaves before it finishes.</param>
    /// <param name="cancellationToken">Cancels this caller's wait only.</param>
    /// <returns>An owning handle to the load's outcome; await it once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="load"/> is null.</exception>
    [SuppressMessage(
        "ApiDesign",
        "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads",
        Justification = "The longer overload adds an out parameter, which no call can omit: every call that binds here today still does, unambiguously.")]
    public SimpleTask<TValue> RunAsync<TState>(
        TKey key,
        TState state,
        Func<TKey, TState, CancellationToken, SimpleTask<TValue>> load,
        CancellationToken cancellationToken = default) =>
        RunAsync(key, state, load, out _, cancellationToken);

    /// <summary>
    /// Returns a handle to the load in flight for <paramref name="key"/>, starting <paramref name="load"/> with
    /// <paramref name="state"/> if there is none, and tells whether this caller joined a load another caller started
    /// (Go's <c>shared</c>, as seen by each caller: a coalesced result rather than its own load's).
    /// </summary>
    /// <typeparam name="TState">The type of the state passed to <paramref name="load"/>.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="state">Passed to <paramref name="load"/> when this call starts the load; unused when it joins one.</param>
    /// <param name="load">Starts the load for a key, given the state and the token that is canceled if every caller leaves before it finishes.</param>
    /// <param name="joined">
    /// True when this call joined a load already in flight (the outcome is coalesced: other callers get the same one);
    /// false when it started the load itself, or returned at once because its token was already canceled.
    /// </param>
    /// <param name="cancellationToken">Cancels this caller's wait only (<see cref="CancellationToken.None"/> for none).</param>
    /// <returns>An owning handle to the load's outcome; await it once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="load"/> is null.</exception>
    /// <remarks>
    /// Known when the call returns, so it costs nothing (no per-caller result to wrap): a caller that started the load
    /// knows it owns the load's side effects (say, writing a cache), and one that joined knows it did not.
    /// </remarks>
    public SimpleTask<TValue> RunAsync<TState>(
        TKey key,
        TState state,
        Func<TKey, TState, CancellationToken, SimpleTask<TValue>> load,
        out bool joined,
        CancellationToken cancellationToken)
    {
        joined = false;
        if (key is null)
        {
            ThrowKeyNull();
        }

        ArgumentNullException.ThrowIfNull(load);
        if (cancellationToken.IsCancellationRequested)
        {
            return SimpleTask.FromCanceled<TValue>(cancellationToken);
        }

        while (true)
        {
            if (_flights.TryGetValue(key, out FlightEntry<TKey, TValue> entry))
            {
                if (entry.Frame.TryJoin(entry.Generation, out HandleToken seat))
                {
                    SharedTaskMeter.OnSingleFlightHit();
                    joined = true;
                    return Attach(entry.Frame, seat, cancellationToken);
                }

                // Every caller of that flight left and its use ended; its frame removes the entry itself, but may not
                // have yet. Remove it by value (this use only) and look again.
                RemoveFlight(key, entry);
                continue;
            }

            FlightFrame<TKey, TValue> frame = FlightFrame<TKey, TValue>.Rent(this, key, out uint generation, out HandleToken leader);
            var started = new FlightEntry<TKey, TValue>(frame, generation);
            if (!_flights.TryAdd(key, started))
            {
                // Another caller started a flight for this key in the meantime: join that one.
                frame.DiscardUnstarted(leader);
                continue;
            }

            Interlocked.Increment(ref _inFlightCount);
            SharedTaskMeter.OnSingleFlightMiss();

            // The leader attaches before the load starts, so that a load completing synchronously finds it waiting.
            SimpleTask<TValue> handle = Attach(frame, leader, cancellationToken);
            try
            {
                frame.Start(state, load);
            }
            catch
            {
                // Start delivers the load's own exceptions as its outcome; what escapes was thrown by a continuation
                // it resumed. Surface it, and do not strand the leader's reference.
                handle.Dispose();
                throw;
            }

            return handle;
        }
    }

    /// <summary>
    /// Forgets the load in flight for <paramref name="key"/>: the next call for the key starts a new load, while the
    /// callers already waiting keep waiting for the old one.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <returns>True if a load was in flight for the key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool Forget(TKey key)
    {
        if (key is null)
        {
            ThrowKeyNull();
        }

        if (_flights.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _inFlightCount);
            return true;
        }

        return false;
    }

    /// <summary>Removes <paramref name="entry"/> if it is still the key's entry (a newer flight's entry stays).</summary>
    internal void RemoveFlight(TKey key, FlightEntry<TKey, TValue> entry)
    {
        if (_flights.TryRemove(new KeyValuePair<TKey, FlightEntry<TKey, TValue>>(key, entry)))
        {
            Interlocked.Decrement(ref _inFlightCount);
        }
    }

    /// <summary>
    /// Turns a caller's seat in a flight into the caller's handle: the seat itself when the caller's token can never
    /// fire, or a caller frame whose wait the token can cancel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SimpleTask<TValue> Attach(FlightFrame<TKey, TValue> flight, HandleToken seat, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? CallerFrame<TKey, TValue>.Attach(flight, seat, cancellationToken)
            : new SimpleTask<TValue>(flight, seat);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowKeyNull() => throw new ArgumentNullException("key");
}
