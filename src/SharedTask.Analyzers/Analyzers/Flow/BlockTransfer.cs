using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SharedTask.Analyzers.Flow;

/// <summary>
/// Runs one basic block over a <see cref="FlowState"/>: every read of a tracked variable, in evaluation order, is
/// classified (<see cref="UseClassifier"/>) and applied; writes give the variable a new token. With findings, the
/// reads that misuse a reference are recorded as well.
/// </summary>
internal sealed class BlockTransfer
{
    private readonly HandleTypes _types;
    private readonly Dictionary<ISymbol, HandleKind> _tracked;
    private readonly Dictionary<CaptureId, ISymbol> _captures;
    private readonly Dictionary<IOperation, int> _writeTokens = new();
    private readonly Dictionary<ISymbol, int> _parameterTokens = new(SymbolEqualityComparer.Default);
    private int _nextToken;

    internal BlockTransfer(HandleTypes types, Dictionary<ISymbol, HandleKind> tracked, Dictionary<CaptureId, ISymbol> captures)
    {
        _types = types;
        _tracked = tracked;
        _captures = captures;
    }

    /// <summary>The state on entry to the function: every tracked parameter holds its caller's reference.</summary>
    internal FlowState EntryState()
    {
        FlowState state = FlowState.Empty;
        foreach (ISymbol variable in _tracked.Keys)
        {
            if (variable is IParameterSymbol parameter)
            {
                if (!_parameterTokens.TryGetValue(parameter, out int token))
                {
                    token = _nextToken++;
                    _parameterTokens.Add(parameter, token);
                }

                state = state.Assign(parameter, token);
            }
        }

        return state;
    }

    /// <summary>The state after <paramref name="block"/>, entered with <paramref name="state"/>.</summary>
    internal FlowState Run(BasicBlock block, FlowState state, FlowFindings? findings)
    {
        foreach (IOperation operation in block.Operations)
        {
            state = Visit(operation, state, block, findings, isReturned: false);
        }

        if (block.BranchValue is { } value)
        {
            bool isReturned = block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return;
            state = Visit(value, state, block, findings, isReturned);
        }

        return state;
    }

    /// <summary>The tracked variable <paramref name="operation"/> reads or writes, if any.</summary>
    internal ISymbol? TrackedVariable(IOperation operation)
    {
        ISymbol? variable = operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFlowCaptureReferenceOperation capture => _captures.TryGetValue(capture.Id, out ISymbol? captured) ? captured : null,
            _ => null,
        };
        return variable is not null && _tracked.ContainsKey(variable) ? variable : null;
    }

    private FlowState Visit(IOperation operation, FlowState state, BasicBlock block, FlowFindings? findings, bool isReturned)
    {
        switch (operation)
        {
            case IFlowAnonymousFunctionOperation:
                // A lambda's body runs when it is called, not here; it is analyzed as its own function.
                return state;
            case ISimpleAssignmentOperation { IsRef: false } assignment when TrackedVariable(assignment.Target) is { } target:
                if (TrackedVariable(assignment.Value) is { } source)
                {
                    return state.Copy(target, source, assignment.Value);
                }

                return Visit(assignment.Value, state, block, findings, isReturned: false).Assign(target, TokenFor(assignment));
            case IDeconstructionAssignmentOperation deconstruction:
                state = Visit(deconstruction.Value, state, block, findings, isReturned: false);
                foreach (IOperation element in deconstruction.Target.DescendantsAndSelf())
                {
                    if (TrackedVariable(element) is { } written)
                    {
                        state = state.Assign(written, TokenFor(element));
                    }
                }

                return state;
        }

        foreach (IOperation child in operation.ChildOperations)
        {
            state = Visit(child, state, block, findings, isReturned: false);
        }

        return TrackedVariable(operation) is { } variable ? Apply(operation, variable, state, block, findings, isReturned) : state;
    }

    private FlowState Apply(IOperation site, ISymbol variable, FlowState state, BasicBlock block, FlowFindings? findings, bool isReturned)
    {
        HandleUse use = UseClassifier.Classify(site, _tracked[variable], _types, isReturned);
        if (use != HandleUse.Read)
        {
            findings?.Check(site, variable, use, state, block);
        }

        var release = new Release(site, variable);
        return use switch
        {
            HandleUse.Consume => state.Consume(release),
            HandleUse.PointerRelease or HandleUse.PointerMoveOut => state.Consume(release).Null(variable, site),
            HandleUse.Overwrite => state.Assign(variable, TokenFor(site)),
            _ => state,
        };
    }

    private int TokenFor(IOperation write)
    {
        if (!_writeTokens.TryGetValue(write, out int token))
        {
            token = _nextToken++;
            _writeTokens.Add(write, token);
        }

        return token;
    }
}
