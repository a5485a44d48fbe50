using static SharedTask.Tests.Unit.Scheduling.ResumeContextMatrixTests;

namespace SharedTask.Tests.Unit.Scheduling.Matrix;

/// <summary>
/// The reference side: the same awaiting code awaits a Task from a TaskCompletionSource (continuations allowed to run
/// inline, as a SimpleTask's are), an async Task method's Task, or the same Task again where the other side awaits a
/// PromisePtr (a Task, too, can be awaited without being consumed).
/// </summary>
internal sealed class TaskOperation : IAwaitedOperation
{
    private readonly TaskCompletionSource<int> _source = new();
    private Task<int> _awaited = null!;

    public void Prepare(Awaited awaited) =>
        _awaited = awaited == Awaited.AsyncMethodResult ? Relay(_source.Task) : _source.Task;

    public void StartAwaiting(AwaitingCode code, Configure configure, Action resumed)
    {
        switch (code)
        {
            case AwaitingCode.SimpleTaskMethod:
                SimpleTaskMethod(_awaited, configure, resumed).Dispose();
                break;
            case AwaitingCode.TaskMethod:
                _ = TaskMethod(_awaited, configure, resumed);
                break;
            case AwaitingCode.ValueTaskMethod:
                _ = ValueTaskMethod(_awaited, configure, resumed).AsTask();
                break;
            default:
                RegisterRaw(_awaited, configure, code == AwaitingCode.RawOnCompleted, resumed);
                break;
        }
    }

    public void Complete() => _source.SetResult(1);

    public void Finish()
    {
    }

    private static async Task<int> Relay(Task<int> gate) => await gate.ConfigureAwait(false);

    private static async SimpleTask<int> SimpleTaskMethod(Task<int> task, Configure configure, Action resumed)
    {
        int value = configure switch
        {
            Configure.Plain => await task,
            Configure.True => await task.ConfigureAwait(true),
            _ => await task.ConfigureAwait(false),
        };
        resumed();
        return value;
    }

    private static async Task<int> TaskMethod(Task<int> task, Configure configure, Action resumed)
    {
        int value = configure switch
        {
            Configure.Plain => await task,
            Configure.True => await task.ConfigureAwait(true),
            _ => await task.ConfigureAwait(false),
        };
        resumed();
        return value;
    }

    private static async ValueTask<int> ValueTaskMethod(Task<int> task, Configure configure, Action resumed)
    {
        int value = configure switch
        {
            Configure.Plain => await task,
            Configure.True => await task.ConfigureAwait(true),
            _ => await task.ConfigureAwait(false),
        };
        resumed();
        return value;
    }

    private static void RegisterRaw(Task<int> task, Configure configure, bool flow, Action resumed)
    {
        if (configure == Configure.Plain)
        {
            System.Runtime.CompilerServices.TaskAwaiter<int> awaiter = task.GetAwaiter();
            RawAwaiter.Register(awaiter, flow, () => RawAwaiter.Resume(resumed, () => awaiter.GetResult()));
        }
        else
        {
            System.Runtime.CompilerServices.ConfiguredTaskAwaitable<int>.ConfiguredTaskAwaiter awaiter =
                task.ConfigureAwait(configure == Configure.True).GetAwaiter();
            RawAwaiter.Register(awaiter, flow, () => RawAwaiter.Resume(resumed, () => awaiter.GetResult()));
        }
    }
}
