using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SharedTask.Analyzers.Flow;

/// <summary>
/// Collects the misuses the final pass over a function meets, one finding per reading operation and rule, and turns
/// them into diagnostics once every block has been seen (a fix's safety needs the blocks of every site).
/// </summary>
internal sealed class FlowFindings
{
    private readonly Dictionary<IOperation, Finding> _consumedTwice = new();
    private readonly Dictionary<IOperation, Finding> _copyReleasedTwice = new();
    private readonly Dictionary<IOperation, Finding> _usedAfterRelease = new();
    private readonly Dictionary<IOperation, BasicBlock> _blocks = new();

    /// <summary>Records what <paramref name="use"/> of <paramref name="variable"/> at <paramref name="site"/> does wrong in <paramref name="state"/>.</summary>
    internal void Check(IOperation site, ISymbol variable, HandleUse use, FlowState state, BasicBlock block)
    {
        _blocks[site] = block;
        if (use is HandleUse.PointerUse or HandleUse.PointerMoveOut && !state.NulledAtOf(variable).IsEmpty)
        {
            FindingAt(_usedAfterRelease, site, variable, HandleKind.Pointer).Related.UnionWith(state.NulledAtOf(variable));
        }

        if (use is not (HandleUse.Consume or HandleUse.PointerRelease or HandleUse.PointerMoveOut))
        {
            return;
        }

        foreach (int token in state.TokensOf(variable))
        {
            foreach (Release earlier in state.ReleasesOf(token))
            {
                if (!SymbolEqualityComparer.Default.Equals(earlier.Variable, variable))
                {
                    HandleKind kind = use == HandleUse.Consume ? HandleKind.Task : HandleKind.Pointer;
                    Finding finding = FindingAt(_copyReleasedTwice, site, variable, kind);
                    finding.Other ??= earlier.Variable;
                    finding.Related.UnionWith(state.CopiedFromOf(variable));
                    finding.Related.UnionWith(state.CopiedFromOf(earlier.Variable));
                }
                else if (use == HandleUse.Consume)
                {
                    // A pointer released twice through one variable is harmless: the first release nulled it.
                    FindingAt(_consumedTwice, site, variable, HandleKind.Task).Related.Add(earlier.Site);
                }
            }
        }
    }

    /// <summary>Reports every finding.</summary>
    internal void Report(Action<Diagnostic> report)
    {
        foreach (KeyValuePair<IOperation, Finding> entry in _consumedTwice)
        {
            report(ConsumedTwice(entry.Key, entry.Value));
        }

        foreach (KeyValuePair<IOperation, Finding> entry in _copyReleasedTwice)
        {
            report(CopyReleasedTwice(entry.Key, entry.Value));
        }

        foreach (KeyValuePair<IOperation, Finding> entry in _usedAfterRelease)
        {
            IOperation nulled = entry.Value.Related.OrderBy(site => site.Syntax.SpanStart).First();
            string how = ReadingMember(nulled) == "ToSimpleTask" ? "moved out with ToSimpleTask()" : "disposed";
            report(Diagnostic.Create(
                SharedTaskRules.PointerUsedAfterRelease,
                entry.Key.Syntax.GetLocation(),
                Locations(entry.Value.Related),
                entry.Value.Variable.Name,
                how,
                LineOf(nulled)));
        }
    }

    private Diagnostic ConsumedTwice(IOperation site, Finding finding)
    {
        List<IOperation> earlier = finding.Related.Where(other => other != site).OrderBy(other => other.Syntax.SpanStart).ToList();
        IOperation first = earlier.Count > 0 ? earlier[0] : site;
        bool balanced = earlier.Count == finding.Related.Count && earlier.All(other => AlwaysReaches(other, site));
        ImmutableDictionary<string, string?> properties = balanced
            ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.ShareEarlierIsBalanced, "true")
            : ImmutableDictionary<string, string?>.Empty;
        return Diagnostic.Create(
            SharedTaskRules.ConsumedMoreThanOnce,
            site.Syntax.GetLocation(),
            Locations(earlier),
            properties,
            finding.Variable.Name,
            LineOf(first));
    }

    private static Diagnostic CopyReleasedTwice(IOperation site, Finding finding)
    {
        string member = finding.Kind == HandleKind.Pointer ? "Copy" : "Share";
        return Diagnostic.Create(
            SharedTaskRules.PlainCopyConsumedTwice,
            site.Syntax.GetLocation(),
            Locations(finding.Related),
            ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.CopyMember, member),
            finding.Variable.Name,
            finding.Other?.Name,
            member);
    }

    /// <summary>
    /// Whether every path from <paramref name="from"/> reaches <paramref name="to"/> (ignoring exceptions): then
    /// consuming a Share() at <paramref name="from"/> adds exactly the consumption <paramref name="to"/> makes.
    /// </summary>
    private bool AlwaysReaches(IOperation from, IOperation to)
    {
        if (!_blocks.TryGetValue(from, out BasicBlock? start) || !_blocks.TryGetValue(to, out BasicBlock? target))
        {
            return false;
        }

        if (start == target)
        {
            return from.Syntax.SpanStart < to.Syntax.SpanStart;
        }

        var seen = new HashSet<BasicBlock> { start };
        var pending = new Stack<BasicBlock>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            BasicBlock block = pending.Pop();
            foreach (ControlFlowBranch? branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch is null)
                {
                    continue;
                }

                if (branch.Destination is not { } next || next.Kind == BasicBlockKind.Exit)
                {
                    return false;
                }

                if (next != target && seen.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return true;
    }

    private static Finding FindingAt(Dictionary<IOperation, Finding> findings, IOperation site, ISymbol variable, HandleKind kind)
    {
        if (!findings.TryGetValue(site, out Finding? finding))
        {
            finding = new Finding(variable, kind);
            findings.Add(site, finding);
        }

        return finding;
    }

    private static string? ReadingMember(IOperation reference)
    {
        IOperation? parent = reference.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return (parent as IInvocationOperation)?.TargetMethod.Name;
    }

    private static IEnumerable<Location> Locations(IEnumerable<IOperation> sites) =>
        sites.OrderBy(site => site.Syntax.SpanStart).Select(site => site.Syntax.GetLocation());

    private static int LineOf(IOperation site) => site.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private sealed class Finding
    {
        internal Finding(ISymbol variable, HandleKind kind)
        {
            Variable = variable;
            Kind = kind;
        }

        internal ISymbol Variable { get; }

        internal HandleKind Kind { get; }

        internal ISymbol? Other { get; set; }

        internal HashSet<IOperation> Related { get; } = new();
    }
}
