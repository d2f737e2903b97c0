using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;

namespace EvalLoop.Suggestions.Applying;

/// <summary>An approved suggestion, the file version it replaced and the one it created.</summary>
/// <param name="FilePath">The changed file, relative to the workspace root (the first one, when the approval wrote several).</param>
public sealed record ApprovalResult(Suggestion Suggestion, FileVersionChange Versions, string FilePath)
{
    /// <summary>Every file the approval wrote, in order (a goal draft writes several; a scorer covering a goal requirement writes two).</summary>
    public IReadOnlyList<ApprovedFile> Files { get; init; } = [new ApprovedFile(FilePath, Versions)];
}

/// <summary>One file an approval wrote: its path relative to the workspace root and the versions recorded for it.</summary>
public sealed record ApprovedFile(string FilePath, FileVersionChange Versions);
