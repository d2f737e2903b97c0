namespace EvalLoop.Core.Datasets;

/// <summary>
/// An immutable snapshot of a dataset. <see cref="Version"/> is a content hash: the same cases give the same version,
/// and any edit gives a new one, so a run can always say exactly which data it used.
/// </summary>
public sealed record DatasetVersion(
    string Name,
    string Version,
    int CaseCount,
    IReadOnlyDictionary<string, int> SplitCounts,
    string? SourcePath,
    DateTimeOffset CreatedAt);
