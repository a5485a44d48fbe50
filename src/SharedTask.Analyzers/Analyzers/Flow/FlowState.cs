using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace SharedTask.Analyzers.Flow;

/// <summary>
/// What may hold at one program point, over every path that reaches it (a may-analysis: sets grow at joins).
/// A value a variable holds is named by a token: the operation that produced it (an assignment, a parameter's
/// entry), so a plain copy shares its source's token and a release through either variable shows on both.
/// </summary>
internal sealed class FlowState
{
    internal static readonly FlowState Empty = new(
        ImmutableDictionary.Create<ISymbol, ImmutableHashSet<int>>(SymbolEqualityComparer.Default),
        ImmutableDictionary.Create<int, ImmutableHashSet<Release>>(),
        ImmutableDictionary.Create<ISymbol, ImmutableHashSet<IOperation>>(SymbolEqualityComparer.Default),
        ImmutableDictionary.Create<ISymbol, ImmutableHashSet<IOperation>>(SymbolEqualityComparer.Default));

    private FlowState(
        ImmutableDictionary<ISymbol, ImmutableHashSet<int>> values,
        ImmutableDictionary<int, ImmutableHashSet<Release>> released,
        ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> nulledAt,
        ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> copiedFrom)
    {
        Values = values;
        Released = released;
        NulledAt = nulledAt;
        CopiedFrom = copiedFrom;
    }

    /// <summary>The tokens each variable may hold; a variable that holds nothing known has no entry.</summary>
    internal ImmutableDictionary<ISymbol, ImmutableHashSet<int>> Values { get; }

    /// <summary>Where each token's reference may already have been consumed or released.</summary>
    internal ImmutableDictionary<int, ImmutableHashSet<Release>> Released { get; }

    /// <summary>PromisePtr variables that may be null because of these Dispose/ToSimpleTask reads.</summary>
    internal ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> NulledAt { get; }

    /// <summary>Variables whose value may be a plain copy, with the copied expression (the place for Share()/Copy()).</summary>
    internal ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> CopiedFrom { get; }

    internal ImmutableHashSet<int> TokensOf(ISymbol variable) =>
        Values.TryGetValue(variable, out ImmutableHashSet<int>? tokens) ? tokens : ImmutableHashSet<int>.Empty;

    internal ImmutableHashSet<Release> ReleasesOf(int token) =>
        Released.TryGetValue(token, out ImmutableHashSet<Release>? releases) ? releases : ImmutableHashSet<Release>.Empty;

    internal ImmutableHashSet<IOperation> NulledAtOf(ISymbol variable) => SitesOf(NulledAt, variable);

    internal ImmutableHashSet<IOperation> CopiedFromOf(ISymbol variable) => SitesOf(CopiedFrom, variable);

    /// <summary>The variable now holds the fresh value <paramref name="token"/>, not yet released.</summary>
    internal FlowState Assign(ISymbol variable, int token)
    {
        ImmutableDictionary<ISymbol, ImmutableHashSet<int>> values = Values.SetItem(variable, ImmutableHashSet.Create(token));
        return new(values, HeldOnly(Released.Remove(token), values), NulledAt.Remove(variable), CopiedFrom.Remove(variable));
    }

    /// <summary><paramref name="target"/> now holds a plain struct copy of <paramref name="source"/>, copied by <paramref name="copied"/>.</summary>
    internal FlowState Copy(ISymbol target, ISymbol source, IOperation copied) => new(
        Values.SetItem(target, TokensOf(source)),
        Released,
        SetSites(NulledAt, target, NulledAtOf(source)),
        CopiedFrom.SetItem(target, ImmutableHashSet.Create(copied)));

    /// <summary>Records that <paramref name="release"/> may have released every token the variable it read holds.</summary>
    internal FlowState Consume(Release release)
    {
        ImmutableDictionary<int, ImmutableHashSet<Release>> released = Released;
        foreach (int token in TokensOf(release.Variable))
        {
            released = released.SetItem(token, ReleasesOf(token).Add(release));
        }

        return new FlowState(Values, released, NulledAt, CopiedFrom);
    }

    /// <summary>
    /// A PromisePtr variable became null (Dispose, ToSimpleTask) at <paramref name="site"/>. Where its value was copied
    /// from stays known: a later release through the copy's source is still the plain-copy misuse.
    /// </summary>
    internal FlowState Null(ISymbol variable, IOperation site)
    {
        ImmutableDictionary<ISymbol, ImmutableHashSet<int>> values = Values.Remove(variable);
        return new(values, HeldOnly(Released, values), NulledAt.SetItem(variable, NulledAtOf(variable).Add(site)), CopiedFrom);
    }

    /// <summary>Everything that holds on either path.</summary>
    internal FlowState Join(FlowState other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        return new FlowState(
            Union(Values, other.Values),
            Union(Released, other.Released),
            Union(NulledAt, other.NulledAt),
            Union(CopiedFrom, other.CopiedFrom));
    }

    /// <summary>Whether both states say the same (the fixed point test).</summary>
    internal bool SameAs(FlowState other) =>
        ReferenceEquals(this, other) ||
        (Same(Values, other.Values) && Same(Released, other.Released) && Same(NulledAt, other.NulledAt) && Same(CopiedFrom, other.CopiedFrom));

    /// <summary>
    /// Forgets the releases of values no variable holds any more on this path. Without this, a loop such as
    /// <c>t = Next(t);</c> would join "t may hold its first value" (from the loop entry) with "the first value was
    /// released" (from the back edge), two facts no single path has.
    /// </summary>
    private static ImmutableDictionary<int, ImmutableHashSet<Release>> HeldOnly(
        ImmutableDictionary<int, ImmutableHashSet<Release>> released, ImmutableDictionary<ISymbol, ImmutableHashSet<int>> values)
    {
        ImmutableDictionary<int, ImmutableHashSet<Release>> held = released;
        foreach (int token in released.Keys)
        {
            if (!values.Values.Any(tokens => tokens.Contains(token)))
            {
                held = held.Remove(token);
            }
        }

        return held;
    }

    private static ImmutableHashSet<IOperation> SitesOf(ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> map, ISymbol variable) =>
        map.TryGetValue(variable, out ImmutableHashSet<IOperation>? sites) ? sites : ImmutableHashSet<IOperation>.Empty;

    private static ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> SetSites(
        ImmutableDictionary<ISymbol, ImmutableHashSet<IOperation>> map, ISymbol variable, ImmutableHashSet<IOperation> sites) =>
        sites.IsEmpty ? map.Remove(variable) : map.SetItem(variable, sites);

    private static ImmutableDictionary<TKey, ImmutableHashSet<TItem>> Union<TKey, TItem>(
        ImmutableDictionary<TKey, ImmutableHashSet<TItem>> left, ImmutableDictionary<TKey, ImmutableHashSet<TItem>> right)
        where TKey : notnull
    {
        ImmutableDictionary<TKey, ImmutableHashSet<TItem>> union = left;
        foreach (KeyValuePair<TKey, ImmutableHashSet<TItem>> entry in right)
        {
            union = union.TryGetValue(entry.Key, out ImmutableHashSet<TItem>? items)
                ? union.SetItem(entry.Key, items.Union(entry.Value))
                : union.Add(entry.Key, entry.Value);
        }

        return union;
    }

    private static bool Same<TKey, TItem>(
        ImmutableDictionary<TKey, ImmutableHashSet<TItem>> left, ImmutableDictionary<TKey, ImmutableHashSet<TItem>> right)
        where TKey : notnull
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (KeyValuePair<TKey, ImmutableHashSet<TItem>> entry in left)
        {
            if (!right.TryGetValue(entry.Key, out ImmutableHashSet<TItem>? items) || !items.SetEquals(entry.Value))
            {
                return false;
            }
        }

        return true;
    }
}
