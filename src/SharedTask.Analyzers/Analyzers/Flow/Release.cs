using Microsoft.CodeAnalysis;

namespace SharedTask.Analyzers.Flow;

/// <summary>Where a reference may have been released: the reading operation and the variable it read.</summary>
internal readonly struct Release : IEquatable<Release>
{
    internal Release(IOperation site, ISymbol variable)
    {
        Site = site;
        Variable = variable;
    }

    /// <summary>The operation that read the variable to consume or release it.</summary>
    internal IOperation Site { get; }

    /// <summary>The variable the reference was released through.</summary>
    internal ISymbol Variable { get; }

    public bool Equals(Release other) =>
        Site == other.Site && SymbolEqualityComparer.Default.Equals(Variable, other.Variable);

    public override bool Equals(object? obj) => obj is Release other && Equals(other);

    public override int GetHashCode() => (Site.GetHashCode() * 397) ^ SymbolEqualityComparer.Default.GetHashCode(Variable);
}
