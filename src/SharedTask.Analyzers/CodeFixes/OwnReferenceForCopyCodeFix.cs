using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SharedTask.Analyzers.CodeFixes;

/// <summary>
/// Fixes SHTASK003: the plain copy takes its own reference, <c>var b = a;</c> becoming <c>var b = a.Share();</c> for a
/// SimpleTask and <c>var b = a.Copy();</c> for a PromisePtr.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OwnReferenceForCopyCodeFix))]
[Shared]
public sealed class OwnReferenceForCopyCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PlainCopyConsumedTwice);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.CopyMember, out string? member) || member is null ||
                !ReferenceInsertion.HasTargets(diagnostic))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Take the copy with {member}()",
                    cancellationToken => ReferenceInsertion.AddReferenceCallsAsync(context.Document, diagnostic, member, cancellationToken),
                    equivalenceKey: nameof(OwnReferenceForCopyCodeFix) + member),
                diagnostic);
        }

        return Task.CompletedTask;
    }
}
