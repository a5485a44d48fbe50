using System.Runtime.CompilerServices;

namespace SharedTask.Tests.Unit.Parity;

/// <summary>
/// The builder contract for code that drives <see cref="SimpleTaskMethodBuilder{T}"/> directly, as the runtime's own
/// builders keep it (AsyncTaskMethodBuilder, PoolingAsyncValueTaskMethodBuilder): the task read before completion is a
/// pending task that then sees the outcome; a builder completes once; a refused completion leaves the outcome alone.
/// </summary>
public class BuilderContractTests
{
    [Fact]
    public void Task_read_before_completion_is_pending_and_then_yields_the_result()
    {
        SimpleTaskMethodBuilder<int> builder = SimpleTaskMethodBuilder<int>.Create();

        SimpleTask<int> task = builder.Task;
        Assert.False(task.IsCompleted, "a task read before SetResult must be pending, not an already-completed default");

        builder.SetResult(42);
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(42, task.GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Task_read_before_completion_resumes_its_awaiter_with_the_result()
    {
        SimpleTaskMethodBuilder<string> builder = SimpleTaskMethodBuilder<string>.Create();
        SimpleTask<string> task = builder.Task;
        Task<string> awaiting = AwaitIt(task);

        builder.SetResult("done");

        Assert.Equal("done", await awaiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Task_read_before_SetException_faults_with_that_exception()
    {
        SimpleTaskMethodBuilder<int> builder = SimpleTaskMethodBuilder<int>.Create();
        SimpleTask<int> task = builder.Task;
        var error = new FormatException("bad");

        builder.SetException(error);

        Assert.True(task.IsFaulted);
        Assert.Same(error, Assert.Throws<FormatException>(() => task.GetAwaiter().GetResult()));
    }

    [Fact]
    public void Second_SetResult_of_a_synchronously_completed_builder_throws_and_keeps_the_first_result()
    {
        SimpleTaskMethodBuilder<int> builder = SimpleTaskMethodBuilder<int>.Create();
        builder.SetResult(1);

        Assert.Throws<InvalidOperationException>(() => builder.SetResult(2));

        Assert.Equal(1, builder.Task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Second_SetResult_after_the_task_was_read_throws_and_keeps_the_first_result()
    {
        SimpleTaskMethodBuilder<int> builder = SimpleTaskMethodBuilder<int>.Create();
        SimpleTask<int> task = builder.Task;
        builder.SetResult(1);

        Assert.Throws<InvalidOperationException>(() => builder.SetResult(2));

        Assert.Equal(1, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void SetResult_after_SetException_throws_the_contract_exception_and_leaves_the_task_faulted()
    {
        SimpleTaskMethodBuilder<int> builder = SimpleTaskMethodBuilder<int>.Create();
        builder.SetException(new FormatException("first"));

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => builder.SetResult(5));

        Assert.Contains("SetResult or SetException may be called once", refused.Message, StringComparison.Ordinal);
        SimpleTask<int> task = builder.Task;
        Assert.True(task.IsFaulted, "a refused SetResult must not change the outcome");
        Assert.Equal("first", Assert.Throws<FormatException>(() => task.GetAwaiter().GetResult()).Message);
    }

    [Fact]
    public void SetException_after_SetResult_throws_and_leaves_the_task_successful()
    {
        SimpleTaskMethodBuilder<int> builder = SimpleTaskMethodBuilder<int>.Create();
        SimpleTask<int> task = builder.Task;
        builder.SetResult(3);

        Assert.Throws<InvalidOperationException>(() => builder.SetException(new FormatException()));

        Assert.Equal(3, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void SetException_with_null_throws_ArgumentNullException()
    {
        SimpleTaskMethodBuilder<int> builder = SimpleTaskMethodBuilder<int>.Create();

        Assert.Throws<ArgumentNullException>(() => builder.SetException(null!));

        builder.SetResult(0);
        Assert.Equal(0, builder.Task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Void_builder_keeps_the_same_contract()
    {
        SimpleTaskMethodBuilder builder = SimpleTaskMethodBuilder.Create();
        SimpleTask task = builder.Task;
        Assert.False(task.IsCompleted);

        builder.SetResult();
        Assert.Throws<InvalidOperationException>(() => builder.SetException(new FormatException()));

        Assert.True(task.IsCompletedSuccessfully);
        task.GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Method_that_suspends_after_its_task_was_read_completes_that_task()
    {
        // The compiler never reads Task before Start; code driving the builder may. The promise rented for the early
        // read must then carry the method's own completion.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var machine = new GateMachine { Gate = gate.Task, Builder = SimpleTaskMethodBuilder<int>.Create() };
        SimpleTask<int> task = machine.Builder.Task;
        machine.Builder.Start(ref machine);
        Assert.False(task.IsCompleted);

        gate.SetResult();

        Assert.Equal(7, await task.AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<string> AwaitIt(SimpleTask<string> task) => await task;

    /// <summary>A hand-written state machine that awaits a Task once and returns 7, as the compiler would generate it.</summary>
    private struct GateMachine : IAsyncStateMachine
    {
        public SimpleTaskMethodBuilder<int> Builder;
        public Task Gate;
        private int _state;
        private TaskAwaiter _awaiter;

        public void MoveNext()
        {
            try
            {
                if (_state == 0)
                {
                    _awaiter = Gate.GetAwaiter();
                    if (!_awaiter.IsCompleted)
                    {
                        _state = 1;
                        Builder.AwaitUnsafeOnCompleted(ref _awaiter, ref this);
                        return;
                    }
                }

                _awaiter.GetResult();
            }
            catch (Exception error)
            {
                _state = -2;
                Builder.SetException(error);
                return;
            }

            _state = -2;
            Builder.SetResult(7);
        }

        public void SetStateMachine(IAsyncStateMachine stateMachine) => Builder.SetStateMachine(stateMachine);
    }
}
