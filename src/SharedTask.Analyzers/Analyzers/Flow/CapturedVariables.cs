using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SharedTask.Analyzers.Flow;

/// <summary>Finds the locals and parameters a lambda or local function uses from the function around it.</summary>
internal static class CapturedVariables
{
    /// <summary>
    /// The variables of the functions in <paramref name="roots"/> that a nested function reads or writes, or null when
    /// no handle variable is used at all (nothing to analyze).
    /// </summary>
    internal static HashSet<ISymbol>? InBlocks(IEnumerable<IOperation> roots, ISymbol owner, HandleTypes types)
    {
        var captured = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        bool usesHandles = false;
        foreach (IOperation root in roots)
        {
            foreach (IOperation operation in root.DescendantsAndSelf())
            {
                ISymbol? variable = operation switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (variable is null)
                {
                    continue;
                }

                usesHandles |= types.KindOf(operation.Type) != HandleKind.None;
                if (!SymbolEqualityComparer.Default.Equals(variable.ContainingSymbol, EnclosingFunction(operation, owner)))
                {
                    captured.Add(variable);
                }
            }
        }

        return usesHandles ? captured : null;
    }

    private static ISymbol EnclosingFunction(IOperation operation, ISymbol owner)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation function:
                    return function.Symbol;
            }
        }

        return owner;
    }
}
