namespace SharedTask.Analyzers;

/// <summary>
/// The stable IDs of SharedTask's diagnostics. An ID is never reused for another meaning; README's "Analyzers" table
/// and AnalyzerReleases.*.md list them.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>A SimpleTask local or parameter consumed more than once on some path.</summary>
    internal const string ConsumedMoreThanOnce = "SHTASK001";

    /// <summary>A SimpleTask returned by a call and then dropped: never awaited, stored, returned, passed on or disposed.</summary>
    internal const string ResultDiscarded = "SHTASK002";

    /// <summary>A plain struct copy of a SimpleTask or PromisePtr, after which both copies are consumed or released.</summary>
    internal const string PlainCopyConsumedTwice = "SHTASK003";

    /// <summary>A PromisePtr used (awaited, copied, read) after it was disposed or moved out on some path.</summary>
    internal const string PointerUsedAfterRelease = "SHTASK004";
}
