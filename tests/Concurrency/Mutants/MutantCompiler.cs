using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SharedTask.Tests.Concurrency.Mutants;

/// <summary>
/// Compiles a mutated copy of src/SharedTask into a SharedTask.dll in this process, with Roslyn: no MSBuild evaluation,
/// restore or compiler start per mutant, so a mutant costs about a second of compiling instead of a build. The
/// compilation matches the shipped build where the runner can tell: same assembly name and version, the same
/// InternalsVisibleTo list (read from the SharedTask.dll this assembly was built against), implicit usings, nullable,
/// optimized. Analyzers and documentation are not run: a mutant only has to compile and behave.
/// </summary>
internal static class MutantCompiler
{
    /// <summary>The SDK's implicit usings for a library (Microsoft.NET.Sdk with ImplicitUsings enabled).</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> s_references = new(LoadReferences);

    private static readonly CSharpParseOptions s_parseOptions = new(
        LanguageVersion.Latest, preprocessorSymbols: ["RELEASE", "TRACE", "NET", "NET10_0", "NETCOREAPP", "NET10_0_OR_GREATER"]);

    /// <summary>Compiles every .cs file under <paramref name="libraryFolder"/> into <paramref name="outputFile"/>; returns the errors, or null.</summary>
    internal static string? Compile(string libraryFolder, string outputFile)
    {
        Assembly shipped = typeof(SimpleTask).Assembly;
        AssemblyName name = shipped.GetName();
        List<SyntaxTree> trees =
        [
            CSharpSyntaxTree.ParseText(ImplicitUsings, s_parseOptions, "GlobalUsings.g.cs"),
            CSharpSyntaxTree.ParseText(AssemblyAttributes(shipped, name), s_parseOptions, "AssemblyInfo.g.cs"),
        ];
        foreach (string file in Directory.EnumerateFiles(libraryFolder, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(libraryFolder, file);
            if (!relative.StartsWith("bin", StringComparison.Ordinal) && !relative.StartsWith("obj", StringComparison.Ordinal))
            {
                trees.Add(CSharpSyntaxTree.ParseText(File.ReadAllText(file), s_parseOptions, file, Encoding.UTF8));
            }
        }

        CSharpCompilation compilation = CSharpCompilation.Create(
            name.Name,
            trees,
            s_references.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable,
                deterministic: true));

        using FileStream output = File.Create(outputFile);
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(output);
        return result.Success
            ? null
            : string.Join(Environment.NewLine, result.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error));
    }

    private static string AssemblyAttributes(Assembly shipped, AssemblyName name)
    {
        var text = new StringBuilder();
        text.AppendLine(FormattableString.Invariant($"[assembly: System.Reflection.AssemblyVersion(\"{name.Version}\")]"));
        foreach (InternalsVisibleToAttribute friend in shipped.GetCustomAttributes<InternalsVisibleToAttribute>())
        {
            text.AppendLine(FormattableString.Invariant($"[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"{friend.AssemblyName}\")]"));
        }

        return text.ToString();
    }

    /// <summary>The shared framework's assemblies (what the library compiles against) and the object-pool package.</summary>
    private static MetadataReference[] LoadReferences()
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return
        [
            .. Directory.EnumerateFiles(framework, "*.dll").Where(IsManaged).Select(static file => MetadataReference.CreateFromFile(file)),
            MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.ObjectPool.ObjectPool).Assembly.Location),
        ];
    }

    private static bool IsManaged(string file)
    {
        try
        {
            AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
