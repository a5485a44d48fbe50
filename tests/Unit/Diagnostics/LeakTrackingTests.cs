using System.Runtime.CompilerServices;
using SharedTask.Diagnostics.LeakTracking;
using SharedTask.Frames;

namespace SharedTask.Tests.Unit.Diagnostics;

/// <summary>Leak tracking reports frames collected while references were outstanding, with the stack that started them.</summary>
[Collection(ProcessWideDiagnostics.Name)]
public class LeakTrackingTests
{
    [Fact]
    public async Task Frame_collected_with_a_reference_outstanding_is_reported_with_the_stack_that_started_its_use()
    {
        var reported = new TaskCompletionSource<FrameLeak>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (SharedTaskDiagnostics.EnableLeakTracking(leak =>
        {
            // Other frames may die in the same collection; this test waits for its own.
            if (leak.CreationStackTrace.ToString().Contains(nameof(DropAHandleWithoutReleasingIt), StringComparison.Ordinal))
            {
                reported.TrySetResult(leak);
            }
        }))
        {
            DropAHandleWithoutReleasingIt();
            GC.Collect();
            GC.WaitForPendingFinalizers();

            FrameLeak leak = await reported.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(typeof(int), leak.ResultType);
            Assert.True(leak.OutstandingReferences == 1, $"one handle was dropped, the report says {leak.OutstandingReferences}");
            Assert.Contains("SimpleTaskCompletionSource", leak.Operation, StringComparison.Ordinal);
            Assert.Contains(nameof(DropAHandleWithoutReleasingIt), leak.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Use_that_ended_properly_leaves_no_record_and_is_not_a_leak()
    {
        using (SharedTaskDiagnostics.EnableLeakTracking(static _ => { }))
        {
            var source = new SimpleTaskCompletionSource<int>();
            SimpleTask<int> handle = source.Task;
            var frame = (FrameCore)handle._frame!;
            uint generation = frame.Generation;
            Assert.True(LeakTracker.HasRecord(frame), "a use started while tracking is on should be recorded");

            source.SetResult(1);
            source.Dispose();
            handle.GetAwaiter().GetResult();

            Assert.False(LeakTracker.HasRecord(frame), "the record should go when the use ends");
            Assert.Null(LeakTracker.FindLeak(frame, generation, new System.Diagnostics.StackTrace()));
        }
    }

    [Fact]
    public void Use_with_references_outstanding_is_a_leak_that_names_its_async_method_and_count()
    {
        using var gate = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> task = SuspendedMethod(gate.Task);
        SimpleTask<int> shared = task.Share();
        var frame = (FrameCore)task._frame!;

        FrameLeak? leak = LeakTracker.FindLeak(frame, frame.Generation, new System.Diagnostics.StackTrace());

        Assert.NotNull(leak);
        Assert.True(leak.OutstandingReferences == 2, $"two handles hold the use, the report says {leak.OutstandingReferences}");
        Assert.Contains($"async method {nameof(LeakTrackingTests)}.{nameof(SuspendedMethod)}", leak.Operation, StringComparison.Ordinal);
        gate.SetResult(1);
        task.Dispose();
        shared.Dispose();
    }

    [Fact]
    public void Enabling_twice_throws_until_the_first_session_is_disposed()
    {
        IDisposable first = SharedTaskDiagnostics.EnableLeakTracking(static _ => { });
        try
        {
            Assert.True(SharedTaskDiagnostics.IsLeakTrackingEnabled, "tracking should be on after EnableLeakTracking");
            Assert.Throws<InvalidOperationException>(() => SharedTaskDiagnostics.EnableLeakTracking(static _ => { }));
        }
        finally
        {
            first.Dispose();
        }

        Assert.False(SharedTaskDiagnostics.IsLeakTrackingEnabled, "disposing the session should turn tracking off");
        SharedTaskDiagnostics.EnableLeakTracking(static _ => { }).Dispose();
    }

    [Fact]
    public void Uses_started_after_tracking_was_turned_off_are_not_recorded()
    {
        SharedTaskDiagnostics.EnableLeakTracking(static _ => { }).Dispose();
        using var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;

        Assert.False(LeakTracker.HasRecord((FrameCore)handle._frame!), "a use started while tracking is off should cost nothing");
        handle.Dispose();
    }

    [Fact]
    public void Null_reporter_throws_ArgumentNullException()
    {
        Assert.Equal("reporter", Assert.Throws<ArgumentNullException>(() => SharedTaskDiagnostics.EnableLeakTracking(null!)).ParamName);
    }

    /// <summary>Leaks one frame: the consumer's handle is dropped while it still owns its reference.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropAHandleWithoutReleasingIt()
    {
        var source = new SimpleTaskCompletionSource<int>();
#pragma warning disable SHTASK002 // Deliberate: the leak this test makes the tracker report.
        _ = source.Task;
#pragma warning restore SHTASK002
        source.SetResult(1);
        source.Dispose();
    }

    private static async SimpleTask<int> SuspendedMethod(SimpleTask<int> gate) => await gate;
}
