using System.Text.RegularExpressions;

namespace SharedTask.Tests.Unit.Architecture;

/// <summary>
/// The library's folders form layers, and code uses only its own folder and the layers below it, so that each folder
/// can be read knowing only what is beneath it (and no two folders depend on each other).
/// </summary>
public partial class FolderLayeringTests
{
    /// <summary>Bottom to top. A new folder goes where what it uses is below it and what uses it is above.</summary>
    private static readonly string[] s_layers =
        [".", "Diagnostics", "Scheduling", "Pooling", "Frames", "Handles", "Combinators", "Coalescing"];

    [Fact]
    public void Every_folder_of_the_library_uses_only_the_folders_below_it()
    {
        string library = Path.Combine(FindRepository(), "src", "SharedTask");
        Dictionary<string, string> code = Directory
            .EnumerateFiles(library, "*.cs", SearchOption.AllDirectories)
            .Where(static file => !IsBuildOutput(file))
            .ToDictionary(file => Path.GetRelativePath(library, file), static file => Strip(File.ReadAllText(file)));

        // Which folder declares each type name. A partial type belongs to the lowest folder that declares it; a part in a
        // higher folder (WhenAll on SimpleTask, in Combinators) adds members that use that folder's layer, and code below
        // it never sees them.
        var declaredIn = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach ((string file, string text) in code)
        {
            foreach (Match declaration in Declaration().Matches(text))
            {
                string name = declaration.Groups[1].Value;
                if (!declaredIn.TryGetValue(name, out HashSet<string>? folders))
                {
                    declaredIn[name] = folders = [];
                }

                folders.Add(FolderOf(file));
            }
        }

        List<string> violations = [];
        foreach ((string file, string text) in code)
        {
            string folder = FolderOf(file);
            int layer = Array.IndexOf(s_layers, folder);
            Assert.True(layer >= 0, $"folder '{folder}' ({file}) has no layer: add it to the list in {nameof(FolderLayeringTests)}");
            foreach (string name in Identifier().Matches(text).Select(static m => m.Value).Distinct(StringComparer.Ordinal))
            {
                if (declaredIn.GetValueOrDefault(name) is { } folders)
                {
                    string used = folders.MinBy(static f => Array.IndexOf(s_layers, f))!;
                    if (used != folder && Array.IndexOf(s_layers, used) > layer)
                    {
                        violations.Add($"{file} ({folder}) uses {name} from {used}, a layer above it");
                    }
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    private static string FolderOf(string relativeFile) =>
        relativeFile.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? relativeFile[..relativeFile.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal)]
            : ".";

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    /// <summary>Code without comments (documentation included) and string literals: what the compiler binds.</summary>
    private static string Strip(string source) => StringLiteral().Replace(Comment().Replace(source, string.Empty), "\"\"");

    private static string FindRepository()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SharedTask.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No SharedTask.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+([A-Z]\w*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();
}
