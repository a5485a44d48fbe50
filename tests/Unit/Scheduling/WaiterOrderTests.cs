using SharedTask.Tests.Unit.Support;

namespace SharedTask.Tests.Unit.Scheduling;

/// <summary>
/// Completion of an operation with 1, 2, 3 and many registered awaiters, of every kind of waiter node: each awaiter
/// resumes exactly once, in the order it registered, before the completing call returns (on a thread with no context,
/// where completion resumes inline). A waiter that was lost or ran twice is reported at once.
/// </summary>
public class WaiterOrderTests
{
    /// <summary>How each awaiter waits: which node it puts in the operation's waiter list.</summary>
    public enum AwaiterKind
    {
        /// <summary>OnCompleted on a task handle: a pooled node holding an Action.</summary>
        RawOnCompleted,

        /// <summary>A SimpleTask method awaiting a task handle: the method's own frame is the node.</summary>
        SimpleTaskMethod,

        /// <summary>A SimpleTask method awaiting a PromisePtr: a non-consuming registration.</summary>
        PointerAwait,

        /// <summary>The three kinds in turn.</summary>
        Mixed,
    }

    public static TheoryData<int, AwaiterKind> Cases()
    {
        var cases = new TheoryData<int, AwaiterKind>();
        foreach (int count in new[] { 1, 2, 3, 64 })
        {
            foreach (AwaiterKind kind in Enum.GetValues<AwaiterKind>())
            {
                cases.Add(count, kind);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Awaiters_of_a_completion_source_resume_once_each_in_registration_order(int count, AwaiterKind kind)
    {
        using var scope = NoSynchronizationContext.Enter();
        var source = new SimpleTaskCompletionSource<int>();
        var resumed = new List<int>();
        var methods = new List<SimpleTask<int>>();
        var pointers = new List<PromisePtr<int>>();
        for (int i = 0; i < count; i++)
        {
            Register(i, kind, source.Task, resumed, methods, pointers);
        }

        source.SetResult(7);
        source.Dispose();

        AssertResumedInOrder(resumed, count, $"{count} {kind} awaiter(s) of a completion source");
        methods.ForEach(method => Assert.Equal(7, method.GetAwaiter().GetResult()));
        pointers.ForEach(pointer => pointer.Dispose());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Awaiters_of_an_async_method_resume_once_each_in_registration_order_primary_first(int count, AwaiterKind kind)
    {
        using var scope = NoSynchronizationContext.Enter();
        var gate = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> primary = PassOn(gate.Task);
        var resumed = new List<int>();
        var methods = new List<SimpleTask<int>>();
        var pointers = new List<PromisePtr<int>>();

        // The others' handles exist before the primary's await registers, so it registers in the list in its turn.
        SimpleTask<int>[] others = [.. Enumerable.Range(1, count - 1).Select(_ => primary.Share())];
        methods.Add(ResumeAs(0, primary, resumed));
        for (int i = 1; i < count; i++)
        {
            Register(i, kind, others[i - 1], resumed, methods, pointers);
        }

        gate.SetResult(7);
        gate.Dispose();

        AssertResumedInOrder(resumed, count, $"the primary handle's await then {count - 1} {kind} awaiter(s) of an async method");
        methods.ForEach(method => Assert.Equal(7, method.GetAwaiter().GetResult()));
        pointers.ForEach(pointer => pointer.Dispose());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(64)]
    public void Awaiters_of_an_operation_completed_inside_a_continuation_resume_in_order_before_what_is_queued_after_them(int count)
    {
        using var scope = NoSynchronizationContext.Enter();
        var outer = new SimpleTaskCompletionSource<int>();
        var inner = new SimpleTaskCompletionSource<int>();
        var later = new SimpleTaskCompletionSource<int>();
        var resumed = new List<string>();
        for (int i = 0; i < count; i++)
        {
            OnCompletedLogging(inner.Task, $"{i}", resumed);
        }

        OnCompletedLogging(later.Task, "later", resumed);
        SimpleTask<int>.Awaiter outerAwaiter = outer.Task.GetAwaiter();
        outerAwaiter.OnCompleted(() =>
        {
            resumed.Add("outer");
            outerAwaiter.GetResult();
            inner.SetResult(1); // queued behind this continuation: the trampoline is draining
            later.SetResult(2); // queued behind inner's awaiters
        });

        outer.SetResult(0);
        outer.Dispose();
        inner.Dispose();
        later.Dispose();

        string[] expected = ["outer", .. Enumerable.Range(0, count).Select(i => $"{i}"), "later"];
        Assert.True(
            resumed.SequenceEqual(expected),
            $"{count} awaiter(s) of an operation completed inside a continuation, then one of an operation completed after it: " +
            $"each must resume once, in that order, before the outermost completion returns; resumed {string.Join(", ", resumed)}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(64)]
    public void A_throwing_awaiter_among_many_does_not_stop_the_later_ones(int count)
    {
        using var scope = NoSynchronizationContext.Enter();
        var source = new SimpleTaskCompletionSource<int>();
        var resumed = new List<int>();
        var handles = new List<SimpleTask<int>>();
        for (int i = 0; i < count; i++)
        {
            int index = i;
            SimpleTask<int> handle = source.Task;
            handles.Add(handle);
            handle.GetAwaiter().UnsafeOnCompleted(() =>
            {
                resumed.Add(index);
                if (index == 0)
                {
                    throw new InvalidOperationException("the first awaiter threw");
                }
            });
        }

        Exception? thrown = Record.Exception(() => source.SetResult(1));
        source.Dispose();

        AssertResumedInOrder(resumed, count, $"{count} awaiters, the first of which throws");
        Assert.True(thrown is InvalidOperationException, $"the awaiter's exception must reach the completer, got {thrown}");
        handles.ForEach(handle => handle.Dispose());
    }

    private static void Register(
        int index, AwaiterKind kind, SimpleTask<int> handle, List<int> resumed, List<SimpleTask<int>> methods, List<PromisePtr<int>> pointers)
    {
        AwaiterKind actual = kind == AwaiterKind.Mixed ? (AwaiterKind)(index % 3) : kind;
        switch (actual)
        {
            case AwaiterKind.RawOnCompleted:
                SimpleTask<int>.Awaiter awaiter = handle.GetAwaiter();
                awaiter.OnCompleted(() =>
                {
                    resumed.Add(index);
                    Assert.Equal(7, awaiter.GetResult());
                });
                break;
            case AwaiterKind.SimpleTaskMethod:
                methods.Add(ResumeAs(index, handle, resumed));
                break;
            default:
                PromisePtr<int> pointer = handle.ToPromisePtr();
                pointers.Add(pointer);
                methods.Add(ResumeAs(index, new PointerBox(pointer), resumed));
                break;
        }
    }

    private static void OnCompletedLogging(SimpleTask<int> handle, string name, List<string> resumed)
    {
        SimpleTask<int>.Awaiter awaiter = handle.GetAwaiter();
        awaiter.OnCompleted(() =>
        {
            resumed.Add(name);
            awaiter.GetResult();
        });
    }

    private static void AssertResumedInOrder(List<int> resumed, int count, string what)
    {
        int[] expected = [.. Enumerable.Range(0, count)];
        Assert.True(
            resumed.SequenceEqual(expected),
            $"{what}: each must resume once, in registration order, before the completing call returns; resumed " +
            (resumed.Count == 0 ? "none" : string.Join(", ", resumed)) +
            (resumed.Count < count ? $" ({count - resumed.Distinct().Count()} never)" : string.Empty));
    }

    private static async SimpleTask<int> PassOn(SimpleTask<int> gate) => await gate;

    private static async SimpleTask<int> ResumeAs(int index, SimpleTask<int> handle, List<int> resumed)
    {
        int value = await handle;
        resumed.Add(index);
        return value;
    }

    private static async SimpleTask<int> ResumeAs(int index, PointerBox box, List<int> resumed)
    {
        int value = await box.Pointer;
        resumed.Add(index);
        return value;
    }

    /// <summary>Carries a pointer the test owns (and disposes) into an awaiting method.</summary>
    private sealed class PointerBox(PromisePtr<int> pointer)
    {
        public PromisePtr<int> Pointer { get; } = pointer;
    }
}
