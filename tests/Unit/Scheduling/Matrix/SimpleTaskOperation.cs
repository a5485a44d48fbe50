using System.Runtime.CompilerServices;
using static SharedTask.Tests.Unit.Scheduling.ResumeContextMatrixTests;

namespace SharedTask.Tests.Unit.Scheduling.Matrix;

/// <summary>The side under test: the awaiting code awaits a SimpleTask (a source's handle, an async method's handle) or a PromisePtr.</summary>
internal sealed class SimpleTaskOperation : IAwaitedOperation
{
    private readonly SimpleTaskCompletionSource<int> _source = new();
    private SimpleTask<int> _awaited;
    private PromisePtr<int> _pointer;
    private bool _awaitsPointer;
    private SimpleTask<int> _awaitingMethod;

    public void Prepare(Awaited awaited)
    {
        switch (awaited)
        {
            case Awaited.CompletionSourceTask:
                _awaited = _source.Task;
                break;
            case Awaited.AsyncMethodResult:
                _awaited = Relay(_source.Task);
                break;
            default:
                _pointer = _source.Task.ToPromisePtr();
                _awaitsPointer = true;
                break;
        }
    }

    public void StartAwaiting(AwaitingCode code, Configure configure, Action resumed)
    {
        switch (code)
        {
            case AwaitingCode.SimpleTaskMethod:
                _awaitingMethod = _awaitsPointer
                    ? SimpleTaskMethod(new PointerBox(_pointer), configure, resumed)
                    : SimpleTaskMethod(_awaited, configure, resumed);
                break;
            case AwaitingCode.TaskMethod:
                _ = _awaitsPointer
                    ? TaskMethod(new PointerBox(_pointer), configure, resumed)
                    : TaskMethod(_awaited, configure, resumed);
                break;
            case AwaitingCode.ValueTaskMethod:
                _ = _awaitsPointer
                    ? ValueTaskMethod(new PointerBox(_pointer), configure, resumed).AsTask()
                    : ValueTaskMethod(_awaited, configure, resumed).AsTask();
                break;
            default:
                bool flow = code == AwaitingCode.RawOnCompleted;
                if (_awaitsPointer)
                {
                    RegisterRaw(_pointer, configure, flow, resumed);
                }
                else
                {
                    RegisterRaw(_awaited, configure, flow, resumed);
                }

                break;
        }
    }

    public void Complete() => _source.SetResult(1);

    public void Finish()
    {
        _awaitingMethod.Dispose();
        _pointer.Dispose();
        _source.Dispose();
    }

    /// <summary>An async method's handle whose completion is the source's (it registers in the awaited frame's primary slot).</summary>
    private static async SimpleTask<int> Relay(SimpleTask<int> gate) => await gate.ConfigureAwait(false);

    private static async SimpleTask<int> SimpleTaskMethod(SimpleTask<int> task, Configure configure, Action resumed)
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

    private static async SimpleTask<int> SimpleTaskMethod(PointerBox box, Configure configure, Action resumed)
    {
        int value = configure switch
        {
            Configure.Plain => await box.Pointer,
            Configure.True => await box.Pointer.ConfigureAwait(true),
            _ => await box.Pointer.ConfigureAwait(false),
        };
        resumed();
        return value;
    }

    private static async Task<int> TaskMethod(SimpleTask<int> task, Configure configure, Action resumed)
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

    private static async Task<int> TaskMethod(PointerBox box, Configure configure, Action resumed)
    {
        int value = configure switch
        {
            Configure.Plain => await box.Pointer,
            Configure.True => await box.Pointer.ConfigureAwait(true),
            _ => await box.Pointer.ConfigureAwait(false),
        };
        resumed();
        return value;
    }

    private static async ValueTask<int> ValueTaskMethod(SimpleTask<int> task, Configure configure, Action resumed)
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

    private static async ValueTask<int> ValueTaskMethod(PointerBox box, Configure configure, Action resumed)
    {
        int value = configure switch
        {
            Configure.Plain => await box.Pointer,
            Configure.True => await box.Pointer.ConfigureAwait(true),
            _ => await box.Pointer.ConfigureAwait(false),
        };
        resumed();
        return value;
    }

    private static void RegisterRaw(SimpleTask<int> task, Configure configure, bool flow, Action resumed)
    {
        if (configure == Configure.Plain)
        {
            SimpleTask<int>.Awaiter awaiter = task.GetAwaiter();
            RawAwaiter.Register(awaiter, flow, () => RawAwaiter.Resume(resumed, () => awaiter.GetResult()));
        }
        else
        {
            SimpleTask<int>.ConfiguredAwaitable.Awaiter awaiter = task.ConfigureAwait(configure == Configure.True).GetAwaiter();
            RawAwaiter.Register(awaiter, flow, () => RawAwaiter.Resume(resumed, () => awaiter.GetResult()));
        }
    }

    private static void RegisterRaw(PromisePtr<int> pointer, Configure configure, bool flow, Action resumed)
    {
        if (configure == Configure.Plain)
        {
            PromisePtr<int>.Awaiter awaiter = pointer.GetAwaiter();
            RawAwaiter.Register(awaiter, flow, () => RawAwaiter.Resume(resumed, () => awaiter.GetResult()));
        }
        else
        {
            PromisePtr<int>.ConfiguredAwaitable.Awaiter awaiter = pointer.ConfigureAwait(configure == Configure.True).GetAwaiter();
            RawAwaiter.Register(awaiter, flow, () => RawAwaiter.Resume(resumed, () => awaiter.GetResult()));
        }
    }

    /// <summary>Carries the test's pointer into an awaiting method without a second owner: the test disposes it in Finish.</summary>
    private sealed class PointerBox(PromisePtr<int> pointer)
    {
        public PromisePtr<int> Pointer { get; } = pointer;
    }
}
