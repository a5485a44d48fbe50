using System.Runtime.CompilerServices;

namespace SharedTask.Coalescing.Flights;

/// <summary>
/// What the in-flight dictionary maps a key to: one use of a flight frame, named by the frame and the generation of
/// that use. The generation is what makes removal safe: a frame recycled and reused for the same key is a different
/// entry, so a late remove of the old use can never take out the new one.
/// </summary>
internal readonly struct FlightEntry<TKey, TValue> : IEquatable<FlightEntry<TKey, TValue>>
    where TKey : notnull
{
    internal FlightEntry(FlightFrame<TKey, TValue> frame, uint generation)
    {
        Frame = frame;
        Generation = generation;
    }

    internal FlightFrame<TKey, TValue> Frame { get; }

    internal uint Generation { get; }

    public bool Equals(FlightEntry<TKey, TValue> other) =>
        ReferenceEquals(Frame, other.Frame) && Generation == other.Generation;

    public override bool Equals(object? obj) => obj is FlightEntry<TKey, TValue> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Frame), Generation);
}
