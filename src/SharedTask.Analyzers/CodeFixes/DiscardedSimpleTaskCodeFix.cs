using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SharedTask.Analyzers.CodeFixes;

/// <summary>
/// Fixes SHTASK002 where the dropped value is a whole statement (<c>Run();</c> or <c>_ = Run();</c>): await it (inside
/// an async function or top-level statements), or release it with <c>Dispose()</c> (fire and forget).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DiscardedSimpleTaskCodeFix))]
[Shared]
public sealed class DiscardedSimpleTaskCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ResultDiscarded);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value ||
                StatementExpression(value) is not { } statement)
            {
                continue;
            }

            if (CanAwait(statement))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Await the SimpleTask",
                        _ => Replace(context.Document, root, statement, SyntaxFactory.AwaitExpression(value.WithoutTrivia())),
                        equivalenceKey: nameof(DiscardedSimpleTaskCodeFix) + "Await"),
                    diagnostic);
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Dispose the SimpleTask (fire and forget)",
                    _ => Replace(context.Document, root, statement, DisposeCall(value)),
                    equivalenceKey: nameof(DiscardedSimpleTaskCodeFix) + "Dispose"),
                diagnostic);
        }
    }

    /// <summary>The statement's expression that drops <paramref name="value"/>: the value itself, or <c>_ = value</c>.</summary>
    private static ExpressionSyntax? StatementExpression(ExpressionSyntax value) => value.Parent switch
    {
        ExpressionStatementSyntax => value,
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax } discard
            when discard.Right == value => discard,
        _ => null,
    };

    private static bool CanAwait(SyntaxNode node)
    {
        for (SyntaxNode? current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax function:
                    return function.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case GlobalStatementSyntax:
                    return true;
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static InvocationExpressionSyntax DisposeCall(ExpressionSyntax value) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, value.WithoutTrivia(), SyntaxFactory.IdentifierName("Dispose")));

    private static Task<Document> Replace(Document document, SyntaxNode root, ExpressionSyntax statement, ExpressionSyntax replacement) =>
        Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(statement, replacement.WithTriviaFrom(statement))));
}
