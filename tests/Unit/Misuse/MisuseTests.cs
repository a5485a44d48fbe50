using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Misuse;

/// <summary>Every misuse is an exception, never a wrong result.</summary>
public class MisuseTests
{
    /// <summary>A completed task whose frame went back to the pool once its only handle was consumed.</summary>
    private static (SimpleTask<int> Stale, SimpleTask<int> Consumed) ConsumedTask(int value)
    {
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;
        source.SetResult(value);
        source.Dispose();
#pragma warning disable SHTASK001 // Deliberate: two copies of one handle, so the tests can consume one and misuse the other.
        return (handle, handle);
#pragma warning restore SHTASK001
    }

    [Fact]
    public void Awaiting_a_handle_after_its_last_release_throws_ObjectDisposedException()
    {
        (SimpleTask<int> stale, SimpleTask<int> handle) = ConsumedTask(1);
        Assert.Equal(1, handle.GetAwaiter().GetResult());

        var thrown = Assert.Throws<ObjectDisposedException>(() => stale.GetAwaiter().GetResult());
        Assert.Contains("SimpleTask<Int32>", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsCompleted_on_a_released_handle_throws_ObjectDisposedException()
    {
        (SimpleTask<int> stale, SimpleTask<int> handle) = ConsumedTask(1);
        handle.Dispose();

        Assert.Throws<ObjectDisposedException>(() => stale.IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => stale.IsFaulted);
    }

    [Fact]
    public void Sharing_a_released_handle_throws_ObjectDisposedException()
    {
        (SimpleTask<int> stale, SimpleTask<int> handle) = ConsumedTask(1);
        handle.Dispose();

        Assert.Throws<ObjectDisposedException>(() => stale.Share());
    }

    [Fact]
    public void Releasing_the_last_reference_twice_throws_ObjectDisposedException()
    {
        (SimpleTask<int> stale, SimpleTask<int> handle) = ConsumedTask(1);
        handle.Dispose();

        Assert.Throws<ObjectDisposedException>(() => stale.Dispose());
    }

    [Fact]
    public void Copying_or_disposing_a_PromisePtr_whose_frame_was_released_through_a_struct_copy_throws()
    {
        var source = new SimpleTaskCompletionSource<int>();
        PromisePtr<int> ptr = source.Task.ToPromisePtr();
        PromisePtr<int> aliased = ptr; // a plain copy: no new reference
        source.SetResult(1);
        source.Dispose();
        ptr.Dispose(); // the last reference: the frame goes back to the pool

        Assert.Throws<ObjectDisposedException>(() => aliased.Copy());
        Assert.Throws<ObjectDisposedException>(() => aliased.GetAwaiter().GetResult());
        Assert.Throws<ObjectDisposedException>(() => aliased.Dispose());
    }

    [Fact]
    public void Awaiting_a_null_PromisePtr_throws_InvalidOperationException()
    {
        PromisePtr<int> ptr = default;

        Assert.True(ptr.IsNull);
        Assert.Throws<InvalidOperationException>(() => ptr.GetAwaiter());
        Assert.Throws<InvalidOperationException>(() => ptr.Copy());
        Assert.Throws<InvalidOperationException>(() => ptr.ToSimpleTask());
        Assert.Throws<InvalidOperationException>(() => ptr.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => default(PromisePtr).GetAwaiter());
    }

    [Fact]
    public void Awaiting_a_disposed_PromisePtr_throws_InvalidOperationException()
    {
        PromisePtr<int> ptr = new SimpleTask<int>(1).ToPromisePtr();
        ptr.Dispose();

        Assert.Throws<InvalidOperationException>(() => ptr.GetAwaiter());
    }

    [Fact]
    public void A_stale_handle_never_sees_the_next_operation_that_reuses_its_frame()
    {
        using var scope = NoSynchronizationContext.Enter();
        (SimpleTask<int> stale, SimpleTask<int> handle) = ConsumedTask(111);
        handle.GetAwaiter().GetResult();

        // The frame is back on this thread's pool stack: the next source of the same type reuses it.
        using var next = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> fresh = next.Task;
        Assert.Same(stale._frame, fresh._frame);
        next.SetResult(222);

        Assert.Throws<ObjectDisposedException>(() => stale.GetAwaiter().GetResult());
        Assert.Throws<ObjectDisposedException>(() => stale.Share());
        Assert.Throws<ObjectDisposedException>(() => stale.Dispose());
        Assert.Equal(222, fresh.GetAwaiter().GetResult());
    }

    [Fact]
    public void Registering_a_continuation_on_a_released_handle_never_throws_and_its_GetResult_reports_the_misuse()
    {
        (SimpleTask<int> stale, SimpleTask<int> handle) = ConsumedTask(1);
        handle.Dispose();
        using var ran = new ManualResetEventSlim();
        SimpleTask<int>.Awaiter awaiter = stale.GetAwaiter();

        // A Task-based async method's builder rethrows an exception from OnCompleted on the thread pool, which kills
        // the process: the misuse must surface from GetResult instead, as Task's awaiters do.
        awaiter.OnCompleted(ran.Set);

        Assert.True(ran.Wait(TimeSpan.FromSeconds(30)), "the continuation of a misused await must still be scheduled");
        Assert.Throws<ObjectDisposedException>(() => awaiter.GetResult());
    }

    [Fact]
    public void Reference_count_overflow_throws_OverflowException_and_leaves_the_count_unchanged()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;
        var frame = handle._frame!;
        using var pointer = handle.Share().ToPromisePtr();
        source.Dispose(); // the producer's pin goes: every seat is now counted
        frame.SetCountForTesting(Frames.FrameState.MaxCount);

        Assert.Throws<OverflowException>(() => handle.Share());
        Assert.Equal(Frames.FrameState.MaxCount, frame.CountedReferences);
        frame.SetCountForTesting(2);
        handle.Dispose();
    }

    [Fact]
    public void Passing_null_continuations_throws_ArgumentNullException()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;

        Assert.Throws<ArgumentNullException>(() => handle.GetAwaiter().OnCompleted(null!));
        Assert.Throws<ArgumentNullException>(() => handle.GetAwaiter().UnsafeOnCompleted(null!));
        handle.Dispose();
    }
}
