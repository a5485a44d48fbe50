using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace SharedTask.Analyzers.Tests.Support;

/// <summary>
/// What test sources compile against: the running .NET's own assemblies and the SharedTask.dll this test project
/// references, the real library rather than a stub, so a test breaks when the public API it relies on changes. Nothing
/// is downloaded: the framework's reference-assembly packages are not used.
/// </summary>
internal static class SharedTaskReferences
{
    /// <summary>No reference package; <see cref="Assemblies"/> supplies every reference.</summary>
    internal static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>The runtime's framework assemblies, SharedTask and its one dependency.</summary>
    internal static ImmutableArray<MetadataReference> Assemblies { get; } = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        IEnumerable<string> framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal));
        string[] library =
        [
            typeof(SimpleTask<>).Assembly.Location,
            typeof(Microsoft.Extensions.ObjectPool.ObjectPool<>).Assembly.Location,
        ];
        return [.. framework.Concat(library).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
