using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Core.Workspace;
using EvalLoop.Suggestions.Changes;

namespace EvalLoop.Suggestions.Applying;

/// <summary>
/// The files a prompt, dataset or scorer suggestion was made against, each with the hash it had then: approval refuses
/// the suggestion once any of them holds other content, so a pending suggestion whose base changed can never be
/// approved. The suggester uses this to supersede such a suggestion instead of leaving it pending for ever.
/// </summary>
public static class SuggestionBase
{
    /// <summary>The (relative path, hash) pairs <paramref name="suggestion"/> rests on; empty when they are unknown (e.g. a goal draft).</summary>
    public static IReadOnlyList<(string Path, string Sha256)> Files(Suggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        var files = new List<(string, string)>();
        switch (suggestion.Kind)
        {
            case SuggestionKinds.Prompt when SuggestionJson.TryDeserialize<PromptChange>(suggestion.ChangeJson) is { } p:
                files.Add((p.ExperimentPath, p.BaseFileSha256));
                break;
            case SuggestionKinds.Dataset when SuggestionJson.TryDeserialize<DatasetChange>(suggestion.ChangeJson) is { } d:
                files.Add((d.DatasetPath, d.BaseFileSha256));
                break;
            case SuggestionKinds.Scorer when SuggestionJson.TryDeserialize<ScorerChange>(suggestion.ChangeJson) is { } s:
                // An empty hash means the file was not found when the suggestion was made: nothing to compare with.
                if (s.BaseFileSha256.Length > 0)
                {
                    files.Add((s.FilePath, s.BaseFileSha256));
                }

                if (s.Goal is { } goal)
                {
                    files.Add((goal.GoalPath, goal.BaseFileSha256));
                }

                break;
        }

        return files;
    }

    /// <summary>
    /// The first file of <paramref name="suggestion"/> whose content changed since it was made (a missing file reads as
    /// empty, as approval reads it), or null when every file is as it was (or nothing is known about them).
    /// </summary>
    public static async Task<string?> FirstChangedFileAsync(Suggestion suggestion, WorkspaceLayout workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        foreach (var (path, sha) in Files(suggestion))
        {
            var full = Path.GetFullPath(path, workspace.Root);
            var content = File.Exists(full) ? await File.ReadAllTextAsync(full, cancellationToken) : string.Empty;
            if (FileContentHash.Compute(content) != sha)
            {
                return path;
            }
        }

        return null;
    }
}
