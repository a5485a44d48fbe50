using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace SharedTask.Analyzers.CodeFixes;

/// <summary>
/// Fixes SHTASK001 when the second consumption always follows the first: the earlier consumption takes a
/// <c>Share()</c> of the handle, so each consumption releases its own reference (<c>await t; await t;</c> becomes
/// <c>await t.Share(); await t;</c>). Not offered when some path from the earlier consumption skips the later one:
/// there the share would never be consumed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ShareEarlierConsumptionCodeFix))]
[Shared]
public sealed class ShareEarlierConsumptionCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ConsumedMoreThanOnce);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(DiagnosticProperties.ShareEarlierIsBalanced) || !ReferenceInsertion.HasTargets(diagnostic))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Consume a Share() at the earlier consumption",
                    cancellationToken => ReferenceInsertion.AddReferenceCallsAsync(context.Document, diagnostic, "Share", cancellationToken),
                    equivalenceKey: nameof(ShareEarlierConsumptionCodeFix)),
                diagnostic);
        }

        return Task.CompletedTask;
    }
}
