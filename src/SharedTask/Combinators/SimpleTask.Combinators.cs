using System.Runtime.InteropServices;
using SharedTask.Combinators;

namespace SharedTask;

/// <content>WhenAll and WhenAny over SimpleTask handles, and per-awaiter cancellation and timeout.</content>
public readonly partial struct SimpleTask
{
    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when all of them have: with every
    /// result in input order, or, as <see cref="Task.WhenAll{TResult}(Task{TResult}[])"/> does, faulted when any input
    /// faulted, else canceled when any input was canceled.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="tasks">The handles to wait for; each is consumed (do not use them again).</param>
    /// <returns>
    /// An owning handle to the results (a new array; an empty one for no inputs). Its await throws the only fault
    /// itself, an <see cref="AggregateException"/> of every fault in input order when several inputs faulted, or the
    /// first cancellation when inputs were canceled and none faulted.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <remarks>
    /// Allocation-free in steady state apart from the result array (a pooled frame and one pooled node per input). A
    /// handle whose reference was already released counts as an input that faulted with
    /// <see cref="ObjectDisposedException"/>.
    /// </remarks>
    public static SimpleTask<T[]> WhenAll<T>(params SimpleTask<T>[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAllArrayFrame<T>.Start(tasks);
    }

    /// <inheritdoc cref="WhenAll{T}(SimpleTask{T}[])"/>
    public static SimpleTask<T[]> WhenAll<T>(params ReadOnlySpan<SimpleTask<T>> tasks) => WhenAllArrayFrame<T>.Start(tasks);

    /// <inheritdoc cref="WhenAll{T}(SimpleTask{T}[])"/>
    public static SimpleTask<T[]> WhenAll<T>(IEnumerable<SimpleTask<T>> tasks) => WhenAllArrayFrame<T>.Start(Materialize(tasks));

    /// <summary>
    /// Consumes both handles and returns one that completes when both have: with both results, or faulted or canceled
    /// as <see cref="WhenAll{T}(SimpleTask{T}[])"/> is.
    /// </summary>
    /// <typeparam name="T1">The first result type.</typeparam>
    /// <typeparam name="T2">The second result type.</typeparam>
    /// <param name="task1">The first handle; consumed.</param>
    /// <param name="task2">The second handle; consumed.</param>
    /// <returns>An owning handle to both results.</returns>
    /// <remarks>Allocation-free in steady state: a pooled frame and two pooled nodes, no array.</remarks>
    public static SimpleTask<(T1, T2)> WhenAll<T1, T2>(SimpleTask<T1> task1, SimpleTask<T2> task2) =>
        WhenAllPairFrame<T1, T2>.Start(task1, task2);

    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when all of them have:
    /// successfully, or faulted or canceled as <see cref="WhenAll{T}(SimpleTask{T}[])"/> is.
    /// </summary>
    /// <param name="tasks">The handles to wait for; each is consumed (do not use them again).</param>
    /// <returns>An owning handle (a completed one for no inputs).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <remarks>Allocation-free in steady state (a pooled frame and one pooled node per input).</remarks>
    public static SimpleTask WhenAll(params SimpleTask[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAllVoidFrame.Start(tasks);
    }

    /// <inheritdoc cref="WhenAll(SimpleTask[])"/>
    public static SimpleTask WhenAll(params ReadOnlySpan<SimpleTask> tasks) => WhenAllVoidFrame.Start(tasks);

    /// <inheritdoc cref="WhenAll(SimpleTask[])"/>
    public static SimpleTask WhenAll(IEnumerable<SimpleTask> tasks) => WhenAllVoidFrame.Start(Materialize(tasks));

    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when the first of them does, with
    /// that input's position and result, or with its exception (as <c>await await Task.WhenAny(...)</c> would throw it).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="tasks">The handles to race (at least one); each is consumed (do not use them again).</param>
    /// <returns>An owning handle to the winner's position in <paramref name="tasks"/> and its result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tasks"/> is empty.</exception>
    /// <remarks>
    /// <para>Inputs that had completed before the call win in input order, as with <see cref="Task.WhenAny(Task[])"/>.</para>
    /// <para>The losers are not canceled (nothing in a SimpleTask can cancel its operation): each one's reference is
    /// released when it completes, and its outcome, exception included, is dropped. The combined handle's frame does not
    /// wait for them. To read the losers' outcomes too, race <c>Share()</c>s of handles you keep (or
    /// <see cref="PromisePtr{T}.ShareTask"/>) and await the one at the returned position.</para>
    /// <para>Allocation-free in steady state (a pooled frame and one pooled node per input).</para>
    /// </remarks>
    public static SimpleTask<(int Index, T Result)> WhenAny<T>(params SimpleTask<T>[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAny((ReadOnlySpan<SimpleTask<T>>)tasks);
    }

    /// <inheritdoc cref="WhenAny{T}(SimpleTask{T}[])"/>
    public static SimpleTask<(int Index, T Result)> WhenAny<T>(params ReadOnlySpan<SimpleTask<T>> tasks)
    {
        if (tasks.IsEmpty)
        {
            throw new ArgumentException("WhenAny needs at least one task to wait for.", nameof(tasks));
        }

        return WhenAnyValueFrame<T>.Start(tasks);
    }

    /// <inheritdoc cref="WhenAny{T}(SimpleTask{T}[])"/>
    public static SimpleTask<(int Index, T Result)> WhenAny<T>(IEnumerable<SimpleTask<T>> tasks) => WhenAny(Materialize(tasks));

    /// <summary>
    /// Consumes every handle of <paramref name="tasks"/> and returns one that completes when the first of them does, with
    /// that input's position, or with its exception.
    /// </summary>
    /// <param name="tasks">The handles to race (at least one); each is consumed (do not use them again).</param>
    /// <returns>An owning handle to the winner's position in <paramref name="tasks"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tasks"/> is empty.</exception>
    /// <remarks>The losers are released as they complete, their outcomes dropped (see <see cref="WhenAny{T}(SimpleTask{T}[])"/>).</remarks>
    public static SimpleTask<int> WhenAny(params SimpleTask[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return WhenAny((ReadOnlySpan<SimpleTask>)tasks);
    }

    /// <inheritdoc cref="WhenAny(SimpleTask[])"/>
    public static SimpleTask<int> WhenAny(params ReadOnlySpan<SimpleTask> tasks)
    {
        if (tasks.IsEmpty)
        {
            throw new ArgumentException("WhenAny needs at least one task to wait for.", nameof(tasks));
        }

        return WhenAnyIndexFrame.Start(tasks);
    }

    /// <inheritdoc cref="WhenAny(SimpleTask[])"/>
    public static SimpleTask<int> WhenAny(IEnumerable<SimpleTask> tasks) => WhenAny(Materialize(tasks));

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or as canceled when
    /// <paramref name="cancellationToken"/> is canceled first; only this wait ends (see
    /// <see cref="SimpleTask{T}.WaitAsync(CancellationToken)"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle.</returns>
    public SimpleTask WaitAsync(CancellationToken cancellationToken) => new(_inner.WaitAsync(cancellationToken));

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or with a
    /// <see cref="TimeoutException"/> when <paramref name="timeout"/> elapses first; only this wait ends (see
    /// <see cref="SimpleTask{T}.WaitAsync(TimeSpan)"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <returns>An owning handle.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms; the handle is still consumed.</exception>
    public SimpleTask WaitAsync(TimeSpan timeout) => new(_inner.WaitAsync(timeout));

    /// <summary>
    /// Consumes the handle and returns one that completes with this operation's outcome, or as canceled, or timed out,
    /// whichever comes first; only this wait ends (see <see cref="SimpleTask{T}.WaitAsync(TimeSpan, CancellationToken)"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> to wait without a limit.</param>
    /// <param name="cancellationToken">Cancels this wait.</param>
    /// <returns>An owning handle.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or more than 4294967294 ms; the handle is still consumed.</exception>
    public SimpleTask WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(_inner.WaitAsync(timeout, cancellationToken));

    /// <summary>The handles of a sequence, without a copy when it is an array or a list.</summary>
    private static ReadOnlySpan<TTask> Materialize<TTask>(IEnumerable<TTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return tasks switch
        {
            TTask[] array => array,
            List<TTask> list => CollectionsMarshal.AsSpan(list),
            _ => tasks.ToArray(),
        };
    }
}
