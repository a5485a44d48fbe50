namespace SharedTask.Tests.Unit.Diagnostics;

/// <summary>The SharedTask meter counts what a listener enabled, from the moment it enabled it.</summary>
[Collection(ProcessWideDiagnostics.Name)]
public class MeterTests
{
    [Fact]
    public void Every_documented_instrument_is_published_on_the_SharedTask_meter()
    {
        var published = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == SharedTaskMetrics.MeterName)
            {
                published.Add(instrument.Name);
            }
        };
        new SimpleTaskCompletionSource<int>().Dispose();

        listener.Start();

        string[] documented =
        [
            SharedTaskMetrics.FramesCreated, SharedTaskMetrics.FramesRented, SharedTaskMetrics.FramesReturned,
            SharedTaskMetrics.FramesLive, SharedTaskMetrics.StaleHandleErrors, SharedTaskMetrics.SingleFlightHits,
            SharedTaskMetrics.SingleFlightMisses,
        ];
        string[] missing = [.. documented.Except(published)];
        Assert.True(missing.Length == 0, $"instruments documented on SharedTaskMetrics but not published: {string.Join(", ", missing)}");
    }

    [Fact]
    public void SingleFlight_hits_and_misses_are_counted()
    {
        using var reader = new SharedTaskMeterReader();
        long hits = reader.Read(SharedTaskMetrics.SingleFlightHits);
        long misses = reader.Read(SharedTaskMetrics.SingleFlightMisses);
        using var source = new SimpleTaskCompletionSource<int>();
        var flight = new SingleFlight<string, int>();

        SimpleTask<int> leader = flight.RunAsync("k", source, static (_, source, _) => source.Task);
        SimpleTask<int> joiner1 = flight.RunAsync("k", source, static (_, source, _) => source.Task);
        SimpleTask<int> joiner2 = flight.RunAsync("k", source, static (_, source, _) => source.Task);
        SimpleTask<int> otherKey = flight.RunAsync("other", 5, static (_, value, _) => new SimpleTask<int>(value));

        long hitCount = reader.Read(SharedTaskMetrics.SingleFlightHits) - hits;
        long missCount = reader.Read(SharedTaskMetrics.SingleFlightMisses) - misses;
        Assert.True(hitCount == 2, $"two callers joined a load in flight, the meter counted {hitCount} hits");
        Assert.True(missCount == 2, $"two calls started a load, the meter counted {missCount} misses");

        source.SetResult(1);
        leader.Dispose();
        joiner1.Dispose();
        joiner2.Dispose();
        otherKey.Dispose();
    }

    [Fact]
    public void Frames_rented_and_returned_are_counted_and_live_is_their_difference()
    {
        using var reader = new SharedTaskMeterReader();
        long rented = reader.Read(SharedTaskMetrics.FramesRented);
        long returned = reader.Read(SharedTaskMetrics.FramesReturned);
        long live = reader.Read(SharedTaskMetrics.FramesLive);
        var held = new SimpleTaskCompletionSource<int>[5];

        for (int i = 0; i < held.Length; i++)
        {
            held[i] = new SimpleTaskCompletionSource<int>();
        }

        long rentedWhileHeld = reader.Read(SharedTaskMetrics.FramesRented) - rented;
        long liveWhileHeld = reader.Read(SharedTaskMetrics.FramesLive) - live;
        foreach (SimpleTaskCompletionSource<int> source in held)
        {
            source.Dispose();
        }

        long returnedAfter = reader.Read(SharedTaskMetrics.FramesReturned) - returned;
        long liveAfter = reader.Read(SharedTaskMetrics.FramesLive) - live;
        Assert.True(rentedWhileHeld >= 5, $"five sources rented five frames, the meter counted {rentedWhileHeld}");
        Assert.True(liveWhileHeld >= 5, $"five frames are in use, live grew by {liveWhileHeld}");
        Assert.True(returnedAfter >= 5, $"five frames went back, the meter counted {returnedAfter} returns");
        Assert.True(liveWhileHeld - liveAfter == 5, $"releasing five frames should lower live by five, it fell by {liveWhileHeld - liveAfter}");
    }

    [Fact]
    public void Frames_created_counts_frames_a_pool_had_to_construct()
    {
        using var reader = new SharedTaskMeterReader();
        long created = reader.Read(SharedTaskMetrics.FramesCreated);

        // A result type nothing else uses: its pool is empty, so the first source constructs a frame.
        new SimpleTaskCompletionSource<FreshResultType>().Dispose();

        long count = reader.Read(SharedTaskMetrics.FramesCreated) - created;
        Assert.True(count >= 1, $"the first frame of a new type must be constructed, the meter counted {count}");
    }

    [Fact]
    public void Stale_handle_errors_are_counted()
    {
        using var reader = new SharedTaskMeterReader();
        long errors = reader.Read(SharedTaskMetrics.StaleHandleErrors);
        var source = new SimpleTaskCompletionSource<int>();
        SimpleTask<int> handle = source.Task;
        source.SetResult(1);
        source.Dispose();
        handle.Dispose();

        Assert.Throws<ObjectDisposedException>(() => handle.Dispose());

        long count = reader.Read(SharedTaskMetrics.StaleHandleErrors) - errors;
        Assert.True(count == 1, $"one stale handle was used, the meter counted {count} errors");
    }

    private sealed class FreshResultType;
}
