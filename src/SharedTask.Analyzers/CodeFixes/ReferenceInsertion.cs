using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SharedTask.Analyzers.CodeFixes;

/// <summary>
/// The edit two fixes share: replace each expression at the diagnostic's additional locations with a call that adds
/// a reference to it (<c>x</c> becomes <c>x.Share()</c> or <c>x.Copy()</c>).
/// </summary>
internal static class ReferenceInsertion
{
    internal static async Task<Document> AddReferenceCallsAsync(
        Document document, Diagnostic diagnostic, string member, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        List<ExpressionSyntax> targets = diagnostic.AdditionalLocations
            .Where(location => location.SourceTree == root.SyntaxTree)
            .Select(location => root.FindNode(location.SourceSpan, getInnermostNodeForTie: true))
            .OfType<ExpressionSyntax>()
            .ToList();
        SyntaxNode updated = root.ReplaceNodes(targets, (original, _) => WithCall(original, member));
        return document.WithSyntaxRoot(updated);
    }

    /// <summary>Whether the diagnostic's additional locations are all expressions the fix can rewrite.</summary>
    internal static bool HasTargets(Diagnostic diagnostic) =>
        diagnostic.AdditionalLocations.Count > 0 && diagnostic.AdditionalLocations.All(location => location.IsInSource);

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
