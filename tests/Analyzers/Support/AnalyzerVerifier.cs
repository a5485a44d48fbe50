using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SharedTask.Analyzers.Tests.Support;

/// <summary>
/// Runs <typeparamref name="TAnalyzer"/> over a source written with the test framework's markup
/// (<c>{|SHTASK001:t|}</c> marks where a diagnostic must appear) and fails on any missing or extra diagnostic,
/// compiler errors included.
/// </summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    internal static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    internal static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, OutputKind.DynamicallyLinkedLibrary, expected);

    internal static Task VerifyAsync(string source, OutputKind outputKind, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = SharedTaskReferences.None,
        };
        test.TestState.OutputKind = outputKind;
        test.TestState.AdditionalReferences.AddRange(SharedTaskReferences.Assemblies);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
