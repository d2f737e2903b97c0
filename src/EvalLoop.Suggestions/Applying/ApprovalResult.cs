using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;

namespace EvalLoop.Suggestions.Applying;

/// <summary>An approved suggestion, the file version it replaced and the one it created.</summary>
/// <param name="FilePath">The changed file, relative to the workspace root (the first one, when the approval wrote several).</param>
public sealed record ApprovalResult(Suggestion Suggestion, FileVersionChange Versions, string FilePath)
{
    /// <summary>Every file the approval wrote, in order (a goal draft writes several; a scorer covering a goal requirement writes two).</summary>
    public IReadOnlyList<ApprovedFile> Files { get; init; } = [new ApprovedFile(FilePath, Versions)];

    /// <summary>
    /// The experiment files a goal draft wrote, in order, which is what re-running an approved goal draft runs (every
    /// host does the same); empty for any other suggestion, whose re-run is the experiment it was made for.
    /// </summary>
    public IReadOnlyList<ApprovedFile> DraftedExperiments =>
        Suggestion.Kind == SuggestionKinds.Goal ? [.. Files.Where(f => f.Kind == FileVersionKinds.Experiment)] : [];
}

/// <summary>One file an approval wrote: its path relative to the workspace root and the versions recorded for it.</summary>
public sealed record ApprovedFile(string FilePath, FileVersionChange Versions)
{
    /// <summary>What the file is (one of <see cref="FileVersionKinds"/>), as recorded in its version history.</summary>
    public string Kind => Versions.Next.Kind;

    /// <summary>The experiment, dataset, scorer or goal name the file defines, as recorded in its version history.</summary>
    public string Name => Versions.Next.Name;
}
