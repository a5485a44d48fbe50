using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SharedTask.Analyzers.CodeFixes;

/// <summary>
/// Fixes a handle released twice by giving one use its own reference: the expressions at the diagnostic's additional
/// locations become <c>x.Share()</c> or <c>x.Copy()</c>.
/// <list type="bullet">
/// <item><description>SHTASK001, when the second consumption follows the first on every path: the earlier consumption
/// takes a <c>Share()</c> (<c>await t; await t;</c> becomes <c>await t.Share(); await t;</c>). Not offered otherwise:
/// on a path that skips the later consumption the share would never be consumed.</description></item>
/// <item><description>SHTASK003: the plain copy takes its own reference (<c>var b = a;</c> becomes
/// <c>var b = a.Share();</c>, or <c>a.Copy()</c> for a PromisePtr).</description></item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddReferenceCodeFix))]
[Shared]
public sealed class AddReferenceCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.ConsumedMoreThanOnce, DiagnosticIds.PlainCopyConsumedTwice);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (Member(diagnostic) is not { } member ||
                diagnostic.AdditionalLocations.Count == 0 || !diagnostic.AdditionalLocations.All(location => location.IsInSource))
            {
                continue;
            }

            string title = diagnostic.Id == DiagnosticIds.ConsumedMoreThanOnce
                ? "Consume a Share() at the earlier consumption"
                : $"Take the copy with {member}()";
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    cancellationToken => AddCallsAsync(context.Document, diagnostic, member, cancellationToken),
                    equivalenceKey: diagnostic.Id + member),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    /// <summary>The member that adds a reference, or null when this diagnostic has no safe fix.</summary>
    private static string? Member(Diagnostic diagnostic)
    {
        if (diagnostic.Id == DiagnosticIds.ConsumedMoreThanOnce)
        {
            return diagnostic.Properties.ContainsKey(DiagnosticProperties.ShareEarlierIsBalanced) ? "Share" : null;
        }

        return diagnostic.Properties.TryGetValue(DiagnosticProperties.CopyMember, out string? member) ? member : null;
    }

    private static async Task<Document> AddCallsAsync(Document document, Diagnostic diagnostic, string member, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        List<ExpressionSyntax> targets = diagnostic.AdditionalLocations
            .Where(location => location.SourceTree == root.SyntaxTree)
            .Select(location => root.FindNode(location.SourceSpan, getInnermostNodeForTie: true))
            .OfType<ExpressionSyntax>()
            .ToList();
        return document.WithSyntaxRoot(root.ReplaceNodes(targets, (original, _) => WithCall(original, member)));
    }

    private static InvocationExpressionSyntax WithCall(ExpressionSyntax expression, string member)
    {
        ExpressionSyntax receiver = expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            ? expression.WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia());
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(member)))
            .WithTriviaFrom(expression);
    }
}
