using System.Runtime.InteropServices;

namespace SharedTask.Frames;

/// <summary>
/// Which reference of a frame a handle owns, so that every handle is told apart from every other: a double release
/// through a plain struct copy finds its own reference already gone and throws, instead of taking a reference that
/// belongs to somebody else.
/// </summary>
/// <remarks>
/// <para>The <em>primary</em> reference (<see cref="Seat"/> 0) is the one an async method or FromException returns: it is
/// a pin in the frame's state word, and <see cref="Stamp"/> is the generation of the use it belongs to.</para>
/// <para>Every other reference (Share, Copy, a completion source's Task, a SingleFlight caller) is a <em>seat</em> in the
/// frame's seat table (<see cref="SeatTable"/>): <see cref="Seat"/> is its number, from 1, and <see cref="Stamp"/> the
/// seat's ticket when it was claimed. A seat's ticket advances every time the seat is freed, so a copy of a released
/// seat handle never matches again, in this use or any later one.</para>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
internal readonly struct HandleToken : IEquatable<HandleToken>
{
    internal HandleToken(uint seat, uint stamp)
    {
        Seat = seat;
        Stamp = stamp;
    }

    /// <summary>0 for the primary reference, else the seat number.</summary>
    internal uint Seat { get; }

    /// <summary>The generation (primary) or the seat's ticket (seat) this reference was issued with.</summary>
    internal uint Stamp { get; }

    internal bool IsPrimary => Seat == 0;

    /// <summary>The primary reference of the use of <paramref name="generation"/>.</summary>
    internal static HandleToken Primary(uint generation) => new(0, generation);

    public bool Equals(HandleToken other) => Seat == other.Seat && Stamp == other.Stamp;

    public override bool Equals(object? obj) => obj is HandleToken other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Seat, Stamp);

    public override string ToString() => IsPrimary ? $"primary, generation {Stamp}" : $"seat {Seat}, ticket {Stamp}";
}
