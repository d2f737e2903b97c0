namespace EvalLoop.EndToEnd.Tests;

/// <summary>The repository as shipped: what every user reads and builds.</summary>
public sealed class RepositoryTests
{
    private static readonly string[] TextExtensions = [".cs", ".csproj", ".props", ".md", ".yaml", ".yml", ".json", ".jsonl", ".sql", ".sh", ".css", ".js", ".html", ".txt"];

    [Fact]
    public void NoFileCarriesAnUnresolvedMergeConflict()
    {
        var root = CliProcess.RepositoryRoot;
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !IsGenerated(Path.GetRelativePath(root, f)))
            .Where(f => TextExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase) || Path.GetFileName(f) is "evalloop" or "run")
            .ToList();

        var conflicts = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line)))
            .Where(l => l.Text.StartsWith("<<<<<<< ", StringComparison.Ordinal) || l.Text.StartsWith(">>>>>>> ", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}")
            .ToList();

        files.Should().Contain(f => f.EndsWith("README.md", StringComparison.Ordinal), "the check reads the repository's files");
        conflicts.Should().BeEmpty();
    }

    private static bool IsGenerated(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj" or ".git" or "artifacts" or ".evalloop" or "node_modules");
    }
}
