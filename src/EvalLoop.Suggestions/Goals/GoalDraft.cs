namespace EvalLoop.Suggestions.Goals;

/// <summary>
/// A drafted goal plan: the files approval would write (all new; none overwrites an existing file) and which
/// requirements it could not map to a scorer. It is the <c>change_json</c> of a <c>goal</c> suggestion.
/// </summary>
public sealed record GoalDraft(string GoalName, string Description, string? Dataset, IReadOnlyList<DraftFile> Files, IReadOnlyList<string> Uncovered, string Source);

/// <summary>One file a draft would write: its path relative to the workspace and its full content.</summary>
public sealed record DraftFile(string Path, string Content);
