namespace SharedTask.Samples.Comparison;

/// <summary>
/// Per-request latencies in 10-microsecond buckets up to 2 s (larger values land in the last bucket). Allocated once
/// before a measurement, so recording allocates nothing; percentiles are exact to the bucket width.
/// </summary>
public sealed class LatencyHistogram
{
    private const double BucketMicroseconds = 10;
    private const int BucketCount = 200_000;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Records one latency; safe to call from any number of threads at once.</summary>
    /// <param name="latency">The latency to record.</param>
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
    /// <param name="fraction">Between 0 and 1: 0.5 for the median, 0.99 for the 99th percentile.</param>
    /// <returns>The percentile, or zero when nothing was recorded.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not between 0 and 1.</exception>
    public TimeSpan Percentile(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        long total = Count;
        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        for (int bucket = 0; bucket < BucketCount; bucket++)
        {
            seen += Volatile.Read(ref _counts[bucket]);
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds((bucket + 1) * BucketMicroseconds);
            }
        }

        return TimeSpan.FromMicroseconds(BucketCount * BucketMicroseconds);
    }
}
