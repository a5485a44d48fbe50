using System.Runtime.CompilerServices;
using SharedTask.Tests.Unit.Scheduling.Matrix;
using SharedTask.Tests.Unit.Support;
using static SharedTask.Tests.Unit.Scheduling.ResumeContextMatrixTests;

namespace SharedTask.Tests.Unit.Scheduling;

/// <summary>
/// ExecutionContext (AsyncLocal) across several awaits of one piece of code, with the value changed between them and
/// the operations completed by threads that carry values of their own: every await sees the value its code set last,
/// no completer sees the continuation's values, and no continuation sees the completer's. The same script awaiting
/// Tasks is the reference.
/// </summary>
public class ExecutionContextFlowTests
{
    private static readonly AsyncLocal<string?> s_local = new();
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    public static TheoryData<AwaitingCode, Awaited> MethodKinds()
    {
        var rows = new TheoryData<AwaitingCode, Awaited>();
        foreach (AwaitingCode code in new[] { AwaitingCode.SimpleTaskMethod, AwaitingCode.TaskMethod, AwaitingCode.ValueTaskMethod })
        {
            foreach (Awaited awaited in Enum.GetValues<Awaited>())
            {
                rows.Add(code, awaited);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(MethodKinds))]
    public void Each_await_of_a_method_sees_the_AsyncLocal_value_set_before_it_and_completers_keep_their_own(
        AwaitingCode code, Awaited awaited)
    {
        string[] expected =
        [
            "caller after the method suspended: caller",
            "method after await 1: set before await 1",
            "completer 1 after completing: completer 1",
            "method after await 2: set before await 2",
            "completer 2 after completing: completer 2",
            "method after await 3: set before await 3",
            "completer 3 after completing: completer 3",
        ];

        string[] reference = RunOnDedicatedThread(() => new TaskGates().RunMethod(code));
        string[] actual = RunOnDedicatedThread(() => new SimpleTaskGates(awaited).RunMethod(code));

        Assert.True(
            expected.SequenceEqual(actual),
            $"a {code} awaiting a {awaited} three times, the AsyncLocal changed between the awaits, saw:{Environment.NewLine}" +
            $"{string.Join(Environment.NewLine, actual)}{Environment.NewLine}where Task gives:{Environment.NewLine}{string.Join(Environment.NewLine, expected)}");

        // The reference run checks the expectation itself (for a SimpleTask method it also runs through SimpleTask's builder).
        Assert.True(
            expected.SequenceEqual(reference),
            $"the same {code} awaiting Tasks saw:{Environment.NewLine}{string.Join(Environment.NewLine, reference)}");
    }

    [Theory]
    [InlineData(true, Awaited.CompletionSourceTask)]
    [InlineData(true, Awaited.AsyncMethodResult)]
    [InlineData(true, Awaited.PromisePtr)]
    [InlineData(false, Awaited.CompletionSourceTask)]
    [InlineData(false, Awaited.AsyncMethodResult)]
    [InlineData(false, Awaited.PromisePtr)]
    public void Raw_OnCompleted_flows_the_registration_context_and_UnsafeOnCompleted_the_completers_like_Task(
        bool flowExecutionContext, Awaited awaited)
    {
        string[] reference = RunOnDedicatedThread(() => new TaskGates().RunRaw(flowExecutionContext));
        string[] actual = RunOnDedicatedThread(() => new SimpleTaskGates(awaited).RunRaw(flowExecutionContext));

        string method = flowExecutionContext ? "OnCompleted" : "UnsafeOnCompleted";
        Assert.True(
            reference.SequenceEqual(actual),
            $"three chained {method} registrations on a {awaited}, the AsyncLocal changed between them, saw:{Environment.NewLine}" +
            $"{string.Join(Environment.NewLine, actual)}{Environment.NewLine}where the same code on Tasks sees:{Environment.NewLine}" +
            string.Join(Environment.NewLine, reference));
    }

    /// <summary>Runs a script on a new thread with no SynchronizationContext, so every completion resumes inline.</summary>
    private static string[] RunOnDedicatedThread(Func<string[]> script) =>
        DedicatedThread.Run(
            () =>
            {
                s_local.Value = null;
                return script();
            },
            maxStackSize: 0);

    /// <summary>
    /// Three gates and a log. The script: the caller sets its value and starts the code; completer 1 (this thread)
    /// completes gate 1, completer 2 (another thread) gate 2, completer 3 (this thread) gate 3, each with a value of its
    /// own, and each logs what it sees after its completion returned.
    /// </summary>
    private abstract class Gates
    {
        private readonly List<string> _log = [];
        private readonly ActivitySignal _progress = new();

        public string[] RunMethod(AwaitingCode code)
        {
            s_local.Value = "caller";
            StartMethod(code);
            Log("caller after the method suspended");
            RunCompletions();
            return Snapshot();
        }

        public string[] RunRaw(bool flowExecutionContext)
        {
            s_local.Value = "set before await 1";
            RegisterRaw(1, flowExecutionContext, () =>
            {
                Log("callback 1");
                s_local.Value = "set before await 2";
                RegisterRaw(2, flowExecutionContext, () =>
                {
                    Log("callback 2");
                    s_local.Value = "set before await 3";
                    RegisterRaw(3, flowExecutionContext, () => Log("callback 3"));
                    _progress.Signal();
                });
                _progress.Signal();
            });
            s_local.Value = "caller";
            RunCompletions();
            return Snapshot();
        }

        protected abstract void StartMethod(AwaitingCode code);

        protected abstract void RegisterRaw(int gate, bool flowExecutionContext, Action continuation);

        protected abstract void Complete(int gate);

        /// <summary>Called by the awaiting code after each await: logs the value it sees and lets the script go on.</summary>
        protected void AfterAwait(int gate)
        {
            Log($"method after await {gate}");
            _progress.Signal();
        }

        private void RunCompletions()
        {
            CompleteAs(1);
            WaitForProgress(1);
            Exception? error = null;
            var other = new Thread(() =>
            {
                try
                {
                    CompleteAs(2);
                }
                catch (Exception exception)
                {
                    error = exception;
                }
            });
            other.Start();
            if (!other.Join(s_limit))
            {
                throw new TimeoutException("completer 2 did not return within 10 s");
            }

            if (error is not null)
            {
                throw new InvalidOperationException("completer 2 failed", error);
            }

            WaitForProgress(2);
            CompleteAs(3);
        }

        private void CompleteAs(int gate)
        {
            s_local.Value = $"completer {gate}";
            Complete(gate);
            Log($"completer {gate} after completing");
        }

        private void WaitForProgress(int gate)
        {
            if (!_progress.Wait(s_limit))
            {
                throw new TimeoutException($"the code did not resume from await {gate} within 10 s (a lost continuation)");
            }
        }

        private void Log(string who)
        {
            lock (_log)
            {
                _log.Add($"{who}: {s_local.Value ?? "null"}");
            }
        }

        private string[] Snapshot()
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    private sealed class SimpleTaskGates : Gates
    {
        private readonly SimpleTaskCompletionSource<int>[] _sources = [new(), new(), new()];
        private readonly Gate[] _gates;

        public SimpleTaskGates(Awaited awaited) =>
            _gates = [.. _sources.Select(source => Gate.Of(source, awaited))];

        protected override void StartMethod(AwaitingCode code)
        {
            switch (code)
            {
                case AwaitingCode.SimpleTaskMethod:
                    SimpleTaskMethod().Dispose();
                    break;
                case AwaitingCode.TaskMethod:
                    _ = TaskMethod();
                    break;
                default:
                    _ = ValueTaskMethod().AsTask();
                    break;
            }
        }

        protected override void RegisterRaw(int gate, bool flowExecutionContext, Action continuation)
        {
            Gate awaited = _gates[gate - 1];
            if (awaited.IsPointer)
            {
                PromisePtr<int>.Awaiter awaiter = awaited.Pointer.GetAwaiter();
                RawAwaiter.Register(awaiter, flowExecutionContext, () => RawAwaiter.Resume(continuation, () => awaiter.GetResult()));
            }
            else
            {
                SimpleTask<int>.Awaiter awaiter = awaited.Task.GetAwaiter();
                RawAwaiter.Register(awaiter, flowExecutionContext, () => RawAwaiter.Resume(continuation, () => awaiter.GetResult()));
            }
        }

        protected override void Complete(int gate)
        {
            _sources[gate - 1].SetResult(gate);
            _sources[gate - 1].Dispose();
            _gates[gate - 1].Pointer.Dispose();
        }

        private async SimpleTask<int> SimpleTaskMethod()
        {
            for (int gate = 1; gate <= 3; gate++)
            {
                s_local.Value = $"set before await {gate}";
                Gate awaited = _gates[gate - 1];
                _ = awaited.IsPointer ? await awaited.Pointer : await awaited.Task;
                AfterAwait(gate);
            }

            return 0;
        }

        private async Task<int> TaskMethod()
        {
            for (int gate = 1; gate <= 3; gate++)
            {
                s_local.Value = $"set before await {gate}";
                Gate awaited = _gates[gate - 1];
                _ = awaited.IsPointer ? await awaited.Pointer : await awaited.Task;
                AfterAwait(gate);
            }

            return 0;
        }

        private async ValueTask<int> ValueTaskMethod()
        {
            for (int gate = 1; gate <= 3; gate++)
            {
                s_local.Value = $"set before await {gate}";
                Gate awaited = _gates[gate - 1];
                _ = awaited.IsPointer ? await awaited.Pointer : await awaited.Task;
                AfterAwait(gate);
            }

            return 0;
        }

        private static async SimpleTask<int> Relay(SimpleTask<int> gate) => await gate.ConfigureAwait(false);

        /// <summary>One awaited handle: a source's task, an async method's task, or a pointer (awaited without consuming).</summary>
        private sealed class Gate
        {
            public SimpleTask<int> Task { get; private init; }

            public PromisePtr<int> Pointer { get; private init; }

            public bool IsPointer { get; private init; }

            public static Gate Of(SimpleTaskCompletionSource<int> source, Awaited awaited) => awaited switch
            {
                Awaited.CompletionSourceTask => new Gate { Task = source.Task },
                Awaited.AsyncMethodResult => new Gate { Task = Relay(source.Task) },
                _ => new Gate { Pointer = source.Task.ToPromisePtr(), IsPointer = true },
            };
        }
    }

    private sealed class TaskGates : Gates
    {
        private readonly TaskCompletionSource<int>[] _sources = [new(), new(), new()];

        protected override void StartMethod(AwaitingCode code)
        {
            switch (code)
            {
                case AwaitingCode.SimpleTaskMethod:
                    SimpleTaskMethod().Dispose();
                    break;
                case AwaitingCode.TaskMethod:
                    _ = TaskMethod();
                    break;
                default:
                    _ = ValueTaskMethod().AsTask();
                    break;
            }
        }

        protected override void RegisterRaw(int gate, bool flowExecutionContext, Action continuation)
        {
            TaskAwaiter<int> awaiter = _sources[gate - 1].Task.GetAwaiter();
            RawAwaiter.Register(awaiter, flowExecutionContext, () => RawAwaiter.Resume(continuation, () => awaiter.GetResult()));
        }

        protected override void Complete(int gate) => _sources[gate - 1].SetResult(gate);

        private async SimpleTask<int> SimpleTaskMethod()
        {
            for (int gate = 1; gate <= 3; gate++)
            {
                s_local.Value = $"set before await {gate}";
                await _sources[gate - 1].Task;
                AfterAwait(gate);
            }

            return 0;
        }

        private async Task<int> TaskMethod()
        {
            for (int gate = 1; gate <= 3; gate++)
            {
                s_local.Value = $"set before await {gate}";
                await _sources[gate - 1].Task;
                AfterAwait(gate);
            }

            return 0;
        }

        private async ValueTask<int> ValueTaskMethod()
        {
            for (int gate = 1; gate <= 3; gate++)
            {
                s_local.Value = $"set before await {gate}";
                await _sources[gate - 1].Task;
                AfterAwait(gate);
            }

            return 0;
        }
    }
}
