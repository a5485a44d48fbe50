namespace SharedTask.Coalescing.Flights;

/// <summary>
/// Where a caller with a cancelable token stands with its flight. Read and written only under the flight's gate: the
/// gate is where the flight's delivery and the caller's token race, and the state is how exactly one of them wins.
/// </summary>
internal enum CallerLinkState : byte
{
    /// <summary>Attaching: the token is registered but the caller is not in the flight's list yet.</summary>
    Detached,

    /// <summary>In the flight's list, waiting for the outcome.</summary>
    Linked,

    /// <summary>The flight's delivery took it (or it arrived after delivery): the load's outcome completes it.</summary>
    Delivering,

    /// <summary>The token fired while Detached: the attaching thread completes it as canceled instead of linking it.</summary>
    CanceledBeforeLink,

    /// <summary>The token fired while Linked: the token's callback unlinked it and completes it as canceled.</summary>
    Canceled,

    /// <summary>The caller released its handle while Linked: the end of its use unlinked it (it left the flight).</summary>
    Left,
}
