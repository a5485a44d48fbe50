using System.Threading.Tasks.Sources;
using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Interop;

/// <summary>AsSimpleTask: a Task or ValueTask's outcome as a SimpleTask, which can then be shared.</summary>
public class TaskAdapterTests
{
    [Fact]
    public void Completed_Task_becomes_a_SimpleTask_holding_its_result_without_a_frame()
    {
        SimpleTask<int> adapted = Task.FromResult(5).AsSimpleTask();

        Assert.Null(adapted._frame);
        Assert.Equal(5, adapted.GetAwaiter().GetResult());
    }

    [Fact]
    public void Adapting_a_completed_Task_or_ValueTask_allocates_nothing()
    {
        Task<int> completed = Task.FromResult(3);
        int sum = 0;

        double bytes = SteadyStateAllocations.BytesPerOperation(() =>
        {
            sum += completed.AsSimpleTask().GetAwaiter().GetResult() + new ValueTask<int>(1).AsSimpleTask().GetAwaiter().GetResult();
            Task.CompletedTask.AsSimpleTask().GetAwaiter().GetResult();
        });

        Assert.Equal(16_000, sum);
        Assert.True(bytes == 0, $"adapting completed tasks should allocate nothing, measured {bytes:F1} bytes per three adaptations");
    }

    [Fact]
    public void Pending_Task_completes_every_share_of_its_adapter_with_its_result()
    {
        // No context: the Task runs its continuation inline on the completing thread, as it would on a server thread.
        using var scope = NoSynchronizationContext.Enter();
        var completion = new TaskCompletionSource<string>();
        SimpleTask<string> adapted = completion.Task.AsSimpleTask();
        SimpleTask<string> share = adapted.Share();
        Assert.False(adapted.IsCompleted);

        completion.SetResult("loaded");

        Assert.Equal("loaded", adapted.GetAwaiter().GetResult());
        Assert.Equal("loaded", share.GetAwaiter().GetResult());
    }

    [Fact]
    public void Faulted_Task_becomes_a_faulted_SimpleTask_with_the_same_exception()
    {
        var failure = new FormatException("bad input");

        SimpleTask<int> adapted = Task.FromException<int>(failure).AsSimpleTask();

        Assert.True(adapted.IsFaulted);
        Assert.Same(failure, Assert.Throws<FormatException>(() => adapted.GetAwaiter().GetResult()));
    }

    [Fact]
    public void Canceled_pending_Task_cancels_its_adapter_with_the_same_token()
    {
        using var scope = NoSynchronizationContext.Enter();
        using var cancellation = new CancellationTokenSource();
        var completion = new TaskCompletionSource();
        SimpleTask adapted = completion.Task.AsSimpleTask();

        cancellation.Cancel();
        completion.SetCanceled(cancellation.Token);

        Assert.True(adapted.IsCanceled, "the adapter's continuation runs inline when the Task is canceled");
        OperationCanceledException thrown = Assert.ThrowsAny<OperationCanceledException>(() => adapted.GetAwaiter().GetResult());
        Assert.Equal(cancellation.Token, thrown.CancellationToken);
    }

    [Fact]
    public void Pending_ValueTask_is_read_exactly_once_by_its_adapter()
    {
        var source = new CountingValueTaskSource<int>();
        SimpleTask<int> adapted = new ValueTask<int>(source, source.Version).AsSimpleTask();
        using PromisePtr<int> ptr = adapted.ToPromisePtr();

        source.SetResult(21);

        Assert.Equal(21, ptr.GetAwaiter().GetResult());
        Assert.Equal(21, ptr.GetAwaiter().GetResult());
        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public void Pending_non_generic_ValueTask_passes_its_exception_to_the_adapter()
    {
        var source = new CountingValueTaskSource<int>();
        SimpleTask adapted = new ValueTask(source, source.Version).AsSimpleTask();

        source.SetException(new FormatException("from the source"));

        Assert.Equal("from the source", Assert.Throws<FormatException>(() => adapted.GetAwaiter().GetResult()).Message);
        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public void Adapting_a_pending_ValueTask_allocates_nothing_in_steady_state()
    {
        var source = new CountingValueTaskSource<int>();
        long total = 0;

        double bytes = SteadyStateAllocations.BytesPerOperation(() =>
        {
            source.Reset();
            SimpleTask<int> adapted = new ValueTask<int>(source, source.Version).AsSimpleTask();
            source.SetResult(2);
            total += adapted.GetAwaiter().GetResult();
        });

        Assert.Equal(8_000, total);
        Assert.True(bytes == 0, $"adapting a pending ValueTask should use a pooled frame and allocate nothing, measured {bytes:F1} bytes each");
    }

    [Fact]
    public void Null_Task_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ((Task<int>)null!).AsSimpleTask());
        Assert.Throws<ArgumentNullException>(() => ((Task)null!).AsSimpleTask());
    }

    /// <summary>A reusable ValueTask source that completes synchronously on the setting thread and counts its reads.</summary>
    private sealed class CountingValueTaskSource<T> : IValueTaskSource<T>, IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<T> _core;

        public short Version => _core.Version;

        public int Reads { get; private set; }

        public void Reset() => _core.Reset();

        public void SetResult(T result) => _core.SetResult(result);

        public void SetException(Exception exception) => _core.SetException(exception);

        public T GetResult(short token)
        {
            Reads++;
            return _core.GetResult(token);
        }

        void IValueTaskSource.GetResult(short token) => GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
