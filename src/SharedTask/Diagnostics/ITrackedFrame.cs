namespace SharedTask.Diagnostics;

/// <summary>
/// What diagnostics (misuse messages, leak tracking) may ask of a frame. Frames implement it, so that diagnostics
/// depends on no frame class and a frame of any kind (an async method's, a completion source's, a SingleFlight's)
/// describes itself.
/// </summary>
internal interface ITrackedFrame
{
    /// <summary>The generation of the frame's current use (it can change right after the read).</summary>
    uint Generation { get; }

    /// <summary>Whether the frame's current use is live.</summary>
    bool IsLive { get; }

    /// <summary>How many handles hold the current use: a moment's snapshot.</summary>
    int OutstandingHandles { get; }

    /// <summary>The result type users see (<c>void</c> for the non-generic SimpleTask).</summary>
    Type ResultType { get; }

    /// <summary>Names what the frame runs in the words a user knows.</summary>
    string Describe();
}
