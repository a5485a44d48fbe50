using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SharedTask.Analyzers.Flow;

namespace SharedTask.Analyzers;

/// <summary>
/// SHTASK001, SHTASK003 and SHTASK004: follows every SimpleTask and PromisePtr local and parameter through the
/// compiler's control-flow graph of its function, lambdas and local functions included, and reports a reference
/// consumed twice, a plain struct copy released through both copies, and a pointer used after Dispose/ToSimpleTask,
/// whenever some path does so.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandleFlowAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        SharedTaskRules.ConsumedMoreThanOnce,
        SharedTaskRules.PlainCopyConsumedTwice,
        SharedTaskRules.PointerUsedAfterRelease);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (HandleTypes.From(start.Compilation) is { } types)
            {
                start.RegisterOperationBlockAction(block => AnalyzeBlock(block, types));
            }
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, HandleTypes types)
    {
        if (CapturedVariables.InBlocks(context.OperationBlocks, context.OwningSymbol, types) is not { } captured)
        {
            return;
        }

        // A method's block may come as its body inside an IMethodBodyOperation: one graph per root operation.
        var roots = new HashSet<IOperation>();
        foreach (IOperation block in context.OperationBlocks)
        {
            IOperation root = block;
            while (root.Parent is { } parent)
            {
                root = parent;
            }

            if (root is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation or IFieldInitializerOperation
                    or IPropertyInitializerOperation or IParameterInitializerOperation && roots.Add(root))
            {
                AnalyzeGraph(context.GetControlFlowGraph(block), context.OwningSymbol, captured, types, context);
            }
        }
    }

    private static void AnalyzeGraph(
        ControlFlowGraph graph, ISymbol function, ISet<ISymbol> captured, HandleTypes types, OperationBlockAnalysisContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        FunctionFlow.Analyze(graph, function, captured, types, context.ReportDiagnostic);
        foreach (IFlowAnonymousFunctionOperation lambda in FunctionFlow.AllOperations(graph).OfType<IFlowAnonymousFunctionOperation>())
        {
            AnalyzeGraph(graph.GetAnonymousFunctionControlFlowGraph(lambda, context.CancellationToken), lambda.Symbol, captured, types, context);
        }

        foreach (IMethodSymbol localFunction in graph.LocalFunctions)
        {
            AnalyzeGraph(graph.GetLocalFunctionControlFlowGraph(localFunction, context.CancellationToken), localFunction, captured, types, context);
        }
    }
}
