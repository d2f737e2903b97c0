using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;

namespace EvalLoop.Suggestions.Applying;

/// <summary>An approved suggestion, the file version it replaced and the one it created.</summary>
/// <param name="FilePath">The changed file, relative to the workspace root.</param>
public sealed record ApprovalResult(Suggestion Suggestion, FileVersionChange Versions, string FilePath);
