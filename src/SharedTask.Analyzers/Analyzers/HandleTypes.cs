using Microsoft.CodeAnalysis;

namespace SharedTask.Analyzers;

/// <summary>SharedTask's handle types as the compilation sees them, or null when it does not reference SharedTask.</summary>
internal sealed class HandleTypes
{
    private readonly INamedTypeSymbol? _task;
    private readonly INamedTypeSymbol? _taskOfT;
    private readonly INamedTypeSymbol? _pointer;
    private readonly INamedTypeSymbol? _pointerOfT;

    private HandleTypes(INamedTypeSymbol? task, INamedTypeSymbol? taskOfT, INamedTypeSymbol? pointer, INamedTypeSymbol? pointerOfT)
    {
        _task = task;
        _taskOfT = taskOfT;
        _pointer = pointer;
        _pointerOfT = pointerOfT;
    }

    /// <summary>The handle types of <paramref name="compilation"/>, or null when it has none (nothing to analyze).</summary>
    internal static HandleTypes? From(Compilation compilation)
    {
        INamedTypeSymbol? task = compilation.GetTypeByMetadataName("SharedTask.SimpleTask");
        INamedTypeSymbol? taskOfT = compilation.GetTypeByMetadataName("SharedTask.SimpleTask`1");
        INamedTypeSymbol? pointer = compilation.GetTypeByMetadataName("SharedTask.PromisePtr");
        INamedTypeSymbol? pointerOfT = compilation.GetTypeByMetadataName("SharedTask.PromisePtr`1");
        return task is null && taskOfT is null ? null : new HandleTypes(task, taskOfT, pointer, pointerOfT);
    }

    /// <summary>Which handle <paramref name="type"/> is (any instantiation of the generic ones).</summary>
    internal HandleKind KindOf(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } named)
        {
            return HandleKind.None;
        }

        INamedTypeSymbol definition = named.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition, _task) || SymbolEqualityComparer.Default.Equals(definition, _taskOfT))
        {
            return HandleKind.Task;
        }

        return SymbolEqualityComparer.Default.Equals(definition, _pointer) || SymbolEqualityComparer.Default.Equals(definition, _pointerOfT)
            ? HandleKind.Pointer
            : HandleKind.None;
    }
}
