namespace SharedTask.Analyzers;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> the code fixes read.</summary>
internal static class DiagnosticProperties
{
    /// <summary>
    /// SHTASK001: present when every additional location is an earlier consumption that this one always follows, so
    /// consuming a <c>Share()</c> there instead leaves the same number of consumptions on every path.
    /// </summary>
    internal const string ShareEarlierIsBalanced = "ShareEarlierIsBalanced";

    /// <summary>SHTASK003: the member that gives a copy its own reference, <c>Share</c> or <c>Copy</c>.</summary>
    internal const string CopyMember = "CopyMember";
}
