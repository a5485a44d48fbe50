using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SharedTask.Analyzers.Flow;

/// <summary>
/// The data flow of one function's control-flow graph: a worklist runs blocks until every block's entry state stops
/// growing, then one more pass over each reachable block records the misuses. Exceptions: a catch or finally handler
/// is entered with what holds anywhere in its try block. A branch that leaves a try through finally regions runs
/// them on the branch's own state, so what a finally does (a using's Dispose) counts on that path only.
/// </summary>
internal sealed class FunctionFlow
{
    private readonly ControlFlowGraph _graph;
    private readonly BlockTransfer _transfer;
    private readonly FlowState?[] _entry;
    private readonly Queue<int> _pending = new();
    private readonly bool[] _isPending;

    private FunctionFlow(ControlFlowGraph graph, BlockTransfer transfer)
    {
        _graph = graph;
        _transfer = transfer;
        _entry = new FlowState?[graph.Blocks.Length];
        _isPending = new bool[graph.Blocks.Length];
    }

    /// <summary>Analyzes the function <paramref name="graph"/> belongs to and reports what it finds.</summary>
    /// <param name="graph">The function's control-flow graph.</param>
    /// <param name="function">The function: its own locals and parameters are the ones tracked.</param>
    /// <param name="captured">Variables some lambda or local function uses: consumed at times no flow shows, so never tracked.</param>
    /// <param name="types">The compilation's handle types.</param>
    /// <param name="report">Receives the diagnostics.</param>
    internal static void Analyze(ControlFlowGraph graph, ISymbol function, ISet<ISymbol> captured, HandleTypes types, Action<Diagnostic> report)
    {
        Dictionary<ISymbol, HandleKind> tracked = TrackedVariables(graph, function, captured, types);
        if (tracked.Count == 0)
        {
            return;
        }

        var transfer = new BlockTransfer(types, tracked, CapturesOfTracked(graph, tracked));
        var flow = new FunctionFlow(graph, transfer);
        flow.Solve();
        var findings = new FlowFindings();
        foreach (BasicBlock block in graph.Blocks)
        {
            if (flow._entry[block.Ordinal] is { } state)
            {
                transfer.Run(block, state, findings);
            }
        }

        findings.Report(report);
    }

    private void Solve()
    {
        Merge(0, _transfer.EntryState());
        while (_pending.Count > 0)
        {
            int ordinal = _pending.Dequeue();
            _isPending[ordinal] = false;
            BasicBlock block = _graph.Blocks[ordinal];
            FlowState entry = _entry[ordinal]!;
            FlowState exit = _transfer.Run(block, entry, findings: null);
            foreach (ControlFlowBranch? branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch?.Destination is { } destination && ThroughFinally(branch, exit) is { } state)
                {
                    Merge(destination.Ordinal, state);
                }
            }

            FlowState anywhere = entry.Join(exit);
            foreach (int handler in HandlersCovering(block))
            {
                Merge(handler, anywhere);
            }
        }
    }

    /// <summary>The state after the finally regions <paramref name="branch"/> passes through, or null if one never completes.</summary>
    private FlowState? ThroughFinally(ControlFlowBranch branch, FlowState state)
    {
        FlowState? current = state;
        foreach (ControlFlowRegion region in branch.FinallyRegions)
        {
            if (current is null)
            {
                return null;
            }

            current = RunFinally(region, current);
        }

        return current;
    }

    /// <summary>Runs a finally region entered with <paramref name="entry"/> to its end; null if it always throws.</summary>
    private FlowState? RunFinally(ControlFlowRegion region, FlowState entry)
    {
        // The reporting pass sees this entry too: it joins every way the finally is entered.
        Merge(region.FirstBlockOrdinal, entry);

        var local = new Dictionary<int, FlowState> { [region.FirstBlockOrdinal] = entry };
        var pending = new Queue<int>();
        pending.Enqueue(region.FirstBlockOrdinal);
        FlowState? end = null;
        while (pending.Count > 0)
        {
            int ordinal = pending.Dequeue();
            BasicBlock block = _graph.Blocks[ordinal];
            FlowState exit = _transfer.Run(block, local[ordinal], findings: null);
            foreach (ControlFlowBranch? branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch is null || ThroughFinally(branch, exit) is not { } state)
                {
                    continue;
                }

                if (branch.Destination is not { } destination)
                {
                    if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
                    {
                        end = end is null ? state : end.Join(state);
                    }
                }
                else if (destination.Ordinal >= region.FirstBlockOrdinal && destination.Ordinal <= region.LastBlockOrdinal)
                {
                    FlowState joined = local.TryGetValue(destination.Ordinal, out FlowState? known) ? known.Join(state) : state;
                    if (known is null || !joined.SameAs(known))
                    {
                        local[destination.Ordinal] = joined;
                        pending.Enqueue(destination.Ordinal);
                    }
                }
            }
        }

        return end;
    }

    /// <summary>The first blocks of the catch, filter and finally handlers of every try region around <paramref name="block"/>.</summary>
    private static IEnumerable<int> HandlersCovering(BasicBlock block)
    {
        // A lambda's graph is a graph of its own: stop at its root region.
        for (ControlFlowRegion? region = block.EnclosingRegion; region is { Kind: not ControlFlowRegionKind.Root }; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryAndHandlers)
            {
                continue;
            }

            foreach (ControlFlowRegion handler in tryAndHandlers.NestedRegions)
            {
                if (handler != region)
                {
                    yield return handler.FirstBlockOrdinal;
                }
            }
        }
    }

    private void Merge(int ordinal, FlowState state)
    {
        FlowState? known = _entry[ordinal];
        FlowState joined = known is null ? state : known.Join(state);
        if (known is not null && joined.SameAs(known))
        {
            return;
        }

        _entry[ordinal] = joined;
        if (!_isPending[ordinal])
        {
            _isPending[ordinal] = true;
            _pending.Enqueue(ordinal);
        }
    }

    /// <summary>
    /// The function's own handle variables (not ref locals, only by-value parameters), except those a nested
    /// function captures.
    /// </summary>
    private static Dictionary<ISymbol, HandleKind> TrackedVariables(ControlFlowGraph graph, ISymbol function, ISet<ISymbol> captured, HandleTypes types)
    {
        var tracked = new Dictionary<ISymbol, HandleKind>(SymbolEqualityComparer.Default);
        foreach (IOperation operation in AllOperations(graph))
        {
            (ISymbol? variable, ITypeSymbol? type) = operation switch
            {
                ILocalReferenceOperation { Local.IsRef: false } local => (local.Local, local.Local.Type),
                IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => ((ISymbol)parameter.Parameter, parameter.Parameter.Type),
                _ => (null, null),
            };
            if (variable is null || tracked.ContainsKey(variable) || captured.Contains(variable) ||
                !SymbolEqualityComparer.Default.Equals(variable.ContainingSymbol, function))
            {
                continue;
            }

            HandleKind kind = types.KindOf(type);
            if (kind != HandleKind.None)
            {
                tracked.Add(variable, kind);
            }
        }

        return tracked;
    }

    /// <summary>
    /// Flow captures (the graph's temporaries) that always hold one tracked variable's value: a read of the capture
    /// is a read of the variable. A capture fed different values on different branches is not followed.
    /// </summary>
    private static Dictionary<CaptureId, ISymbol> CapturesOfTracked(ControlFlowGraph graph, Dictionary<ISymbol, HandleKind> tracked)
    {
        var captures = new Dictionary<CaptureId, ISymbol>();
        var mixed = new HashSet<CaptureId>();
        foreach (IFlowCaptureOperation capture in AllOperations(graph).OfType<IFlowCaptureOperation>())
        {
            ISymbol? variable = capture.Value switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (variable is null || !tracked.ContainsKey(variable) ||
                (captures.TryGetValue(capture.Id, out ISymbol? known) && !SymbolEqualityComparer.Default.Equals(known, variable)))
            {
                mixed.Add(capture.Id);
            }
            else
            {
                captures[capture.Id] = variable;
            }
        }

        foreach (CaptureId id in mixed)
        {
            captures.Remove(id);
        }

        return captures;
    }

    /// <summary>Every operation of the graph's blocks, not descending into lambdas (they are functions of their own).</summary>
    internal static IEnumerable<IOperation> AllOperations(ControlFlowGraph graph)
    {
        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation root in block.Operations)
            {
                foreach (IOperation operation in DescendantsOutsideLambdas(root))
                {
                    yield return operation;
                }
            }

            if (block.BranchValue is { } value)
            {
                foreach (IOperation operation in DescendantsOutsideLambdas(value))
                {
                    yield return operation;
                }
            }
        }
    }

    private static IEnumerable<IOperation> DescendantsOutsideLambdas(IOperation root)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            IOperation operation = pending.Pop();
            yield return operation;
            if (operation is IFlowAnonymousFunctionOperation)
            {
                continue;
            }

            foreach (IOperation child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }
    }
}
