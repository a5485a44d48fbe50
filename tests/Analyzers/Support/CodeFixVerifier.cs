using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SharedTask.Analyzers.Tests.Support;

/// <summary>
/// Applies <typeparamref name="TCodeFix"/> to the diagnostics marked in a source and compares the result with the
/// expected fixed source; a fixed source equal to the original asserts that no fix is offered.
/// </summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Verifies the fix with the given index among those offered (0 when there is one).</summary>
    internal static Task VerifyAsync(string source, string fixedSource, int actionIndex = 0)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = SharedTaskReferences.None,
            CodeActionIndex = actionIndex,
        };
        test.TestState.AdditionalReferences.AddRange(SharedTaskReferences.Assemblies);
        test.FixedState.AdditionalReferences.AddRange(SharedTaskReferences.Assemblies);
        return test.RunAsync();
    }
}
