namespace SharedTask.Tests.Unit.Parity;

/// <summary>
/// What blocking on a SimpleTask does. Like a pooled ValueTask, a SimpleTask cannot be waited on synchronously: reading
/// a pending one throws at once (nothing blocks, nothing is consumed); AsTask gives a Task to block on.
/// </summary>
public class BlockingTests
{
    [Fact]
    public void GetResult_on_a_pending_SimpleTask_throws_at_once_and_the_handle_can_still_be_awaited()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = source.Task;

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => task.GetAwaiter().GetResult());

        Assert.Contains("AsTask()", refused.Message, StringComparison.Ordinal);
        source.SetResult(4);
        Assert.Equal(4, task.GetAwaiter().GetResult());
    }

    [Fact]
    public void Blocking_on_AsTask_waits_for_a_completion_on_another_thread()
    {
        using var source = new SimpleTaskCompletionSource<int>();
        Task<int> task = source.Task.AsTask();
        var completer = new Thread(() => source.SetResult(9));

        completer.Start();

        Assert.Equal(9, task.GetAwaiter().GetResult());
        completer.Join();
    }
}
