namespace SharedTask.Samples.CoalescingDemo;

/// <summary>
/// Per-request latencies in 10-microsecond buckets up to 2 s (larger values land in the last bucket). Allocated once
/// before a measurement, so recording allocates nothing; percentiles are exact to the bucket width.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double BucketMicroseconds = 10;
    private const int BucketCount = 200_000;

    private readonly long[] _counts = new long[BucketCount];

    public void Record(TimeSpan latency)
    {
        long bucket = (long)(latency.TotalMicroseconds / BucketMicroseconds);
        Interlocked.Increment(ref _counts[Math.Clamp(bucket, 0, BucketCount - 1)]);
    }

    /// <summary>How many latencies were recorded (sums every bucket: call it about once a second, not per request).</summary>
    public long Count
    {
        get
        {
            long count = 0;
            for (int bucket = 0; bucket < BucketCount; bucket++)
            {
                count += Volatile.Read(ref _counts[bucket]);
            }

            return count;
        }
    }

    /// <summary>The latency below which <paramref name="fraction"/> of the recorded ones fall (the bucket's upper edge).</summary>
    public TimeSpan Percentile(double fraction)
    {
        long total = Count;
        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (int bucket = 0; bucket < BucketCount; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds((bucket + 1) * BucketMicroseconds);
            }
        }

        return TimeSpan.FromMicroseconds(BucketCount * BucketMicroseconds);
    }
}
