using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace SharedTask.Analyzers;

/// <summary>
/// SHTASK002: a call returns a <c>SimpleTask</c> and its value is dropped (the shape of CA2012 and CS4014). The value
/// is kept when it is awaited, stored, returned, passed on, disposed or moved by any consuming member; it is dropped by
/// an expression statement, a discard assignment, or when only its <c>Share()</c> or a property of it is used.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SimpleTaskDiscardedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(SharedTaskRules.ResultDiscarded);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (HandleTypes.From(start.Compilation) is not { } types)
            {
                return;
            }

            start.RegisterOperationAction(
                operation => AnalyzeCall(operation, types, ((IInvocationOperation)operation.Operation).TargetMethod.Name),
                OperationKind.Invocation);
            start.RegisterOperationAction(
                operation => AnalyzeCall(operation, types, ((IPropertyReferenceOperation)operation.Operation).Property.Name),
                OperationKind.PropertyReference);
        });
    }

    private static void AnalyzeCall(OperationAnalysisContext context, HandleTypes types, string name)
    {
        IOperation value = context.Operation;
        if (types.KindOf(value.Type) != HandleKind.Task || !IsDropped(value, types))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(SharedTaskRules.ResultDiscarded, value.Syntax.GetLocation(), name));
    }

    /// <summary>
    /// Whether the handle <paramref name="value"/> produces is lost. A property read is only reported when it is
    /// discarded explicitly (<c>_ = source.Task</c>): reading a stored handle's property is no drop.
    /// </summary>
    private static bool IsDropped(IOperation value, HandleTypes types)
    {
        IOperation? parent = value.Parent;
        if (parent is IConditionalAccessOperation access && access.WhenNotNull == value)
        {
            value = access;
            parent = access.Parent;
        }

        bool isCall = value is IInvocationOperation or IConditionalAccessOperation;
        return parent switch
        {
            IExpressionStatementOperation => isCall,
            ISimpleAssignmentOperation { Target: IDiscardOperation } assignment => assignment.Value == value,
            IInvocationOperation { TargetMethod.Name: nameof(object.ToString) or "Share" } use => isCall && use.Instance == value,
            IPropertyReferenceOperation property => isCall && property.Instance == value && types.KindOf(property.Type) == HandleKind.None,
            _ => false,
        };
    }
}
