using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SharedTask.Analyzers.Flow;

/// <summary>
/// Decides what a read of a handle variable does, from the operation that reads it. Unknown instance members of
/// SimpleTask consume (a future WaitAsync-like member moves the handle); passing a SimpleTask to a parameter of a
/// SimpleTask type moves it to the callee, so APIs such as WhenAll need no rule of their own. A PromisePtr passed by
/// value is a borrow: the callee takes a Copy() to keep it (the library's rule for pointers).
/// </summary>
internal static class UseClassifier
{
    /// <summary>What <paramref name="reference"/> (a read of a variable of kind <paramref name="kind"/>) does.</summary>
    /// <param name="reference">The reference, or the flow-capture reference standing for it.</param>
    /// <param name="kind">The handle kind of the variable.</param>
    /// <param name="types">The compilation's handle types.</param>
    /// <param name="isReturned">True when the reference is the value a <c>return</c> branch carries.</param>
    internal static HandleUse Classify(IOperation reference, HandleKind kind, HandleTypes types, bool isReturned)
    {
        IOperation child = reference;
        IOperation? parent = reference.Parent;
        while (parent is IConversionOperation { OperatorMethod: null })
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            null => isReturned && kind == HandleKind.Task ? HandleUse.Consume : HandleUse.Read,
            IAwaitOperation => kind == HandleKind.Task ? HandleUse.Consume : HandleUse.PointerUse,
            // Non-public members are the library's own machinery (and its tests'), which moves references by hand.
            IInvocationOperation { TargetMethod.DeclaredAccessibility: not Accessibility.Public } call when call.Instance == child => HandleUse.Read,
            IInvocationOperation call when call.Instance == child => ClassifyMember(call, kind),
            IPropertyReferenceOperation property when property.Instance == child =>
                kind == HandleKind.Pointer && property.Property.Name != "IsNull" ? HandleUse.PointerUse : HandleUse.Read,
            IArgumentOperation argument => ClassifyArgument(argument.Parameter, kind, types),
            IReturnOperation => kind == HandleKind.Task ? HandleUse.Consume : HandleUse.Read,
            // Stored as a handle where this analysis does not follow it (a field, an element, a captured variable):
            // a move. A boxed copy (object, an interface) is only a look, like passing it to an object parameter.
            ISimpleAssignmentOperation assignment when assignment.Value == child && child == reference => MoveIfTask(kind),
            IArrayInitializerOperation or ICollectionExpressionOperation or ITupleOperation when child == reference => MoveIfTask(kind),
            _ => HandleUse.Read,
        };
    }

    private static HandleUse ClassifyMember(IInvocationOperation call, HandleKind kind)
    {
        switch (call.TargetMethod.Name)
        {
            case nameof(object.ToString):
            case nameof(object.GetHashCode):
            case nameof(object.Equals):
            case nameof(object.GetType):
                return HandleUse.Read;
            case "Share":
                return kind == HandleKind.Task ? HandleUse.Read : HandleUse.PointerUse;
            case "Dispose":
                return kind == HandleKind.Task ? HandleUse.Consume : HandleUse.PointerRelease;
            case "ToSimpleTask":
                return kind == HandleKind.Task ? HandleUse.Consume : HandleUse.PointerMoveOut;
            case "GetAwaiter" when kind == HandleKind.Task:
                return ClassifyAwaiter(call);
            default:
                return kind == HandleKind.Task ? HandleUse.Consume : HandleUse.PointerUse;
        }
    }

    /// <summary>
    /// The awaiter protocol by hand: <c>GetAwaiter()</c> itself takes nothing; its <c>GetResult()</c> consumes, while
    /// <c>IsCompleted</c>, <c>OnCompleted</c> and <c>UnsafeOnCompleted</c> only look or register. An awaiter kept in a
    /// variable counts as consumed where it was taken.
    /// </summary>
    private static HandleUse ClassifyAwaiter(IInvocationOperation getAwaiter) => getAwaiter.Parent switch
    {
        IInvocationOperation { TargetMethod.Name: "OnCompleted" or "UnsafeOnCompleted" } register when register.Instance == getAwaiter => HandleUse.Read,
        IPropertyReferenceOperation { Property.Name: "IsCompleted" } => HandleUse.Read,
        _ => HandleUse.Consume,
    };

    private static HandleUse ClassifyArgument(IParameterSymbol? parameter, HandleKind kind, HandleTypes types)
    {
        if (parameter is null)
        {
            return HandleUse.Read;
        }

        return parameter.RefKind switch
        {
            RefKind.Ref or RefKind.Out => HandleUse.Overwrite,
            RefKind.None when kind == HandleKind.Task && types.KindOf(parameter.Type) == HandleKind.Task => HandleUse.Consume,
            _ => HandleUse.Read,
        };
    }

    private static HandleUse MoveIfTask(HandleKind kind) => kind == HandleKind.Task ? HandleUse.Consume : HandleUse.Read;
}
