using EvalLoop.Core.Datasets;

namespace EvalLoop.Suggestions.Planning;

/// <summary>
/// Which cases the suggester may look at and which it must not: the <see cref="Pool"/> it draws examples and rows from,
/// the <see cref="Analysis"/> cases whose failures it analyses, and the <see cref="Verification"/> cases it proves a
/// suggestion on, which it never looks at before. The held-out split (normally <c>test</c>) is in none of them.
/// </summary>
/// <param name="PoolSplit">The split examples come from (<c>train</c>), or null when the analysis cases double as the pool.</param>
/// <param name="WorkingSplit">The split analysed and verified on (<c>dev</c>), or null for every case outside the pool.</param>
/// <param name="HeldOutSplit">The split the suggester never reads outputs or scores of (<c>test</c>), or null.</param>
/// <param name="Notes">What the plan had to compromise on, for the user (e.g. no dev split).</param>
public sealed record SplitPlan(
    string? PoolSplit,
    string? WorkingSplit,
    string? HeldOutSplit,
    IReadOnlyList<DatasetCase> Pool,
    IReadOnlyList<DatasetCase> Analysis,
    IReadOnlyList<DatasetCase> Verification,
    IReadOnlyList<string> Notes)
{
    /// <summary>E.g. "dev, verification half (311 cases)".</summary>
    public string DescribeVerification(int cases) => $"{WorkingSplit ?? "all non-pool cases"}, verification half ({cases} cases)";

    /// <summary>E.g. "dev, analysis half (305 cases)".</summary>
    public string DescribeAnalysis() => $"{WorkingSplit ?? "all non-pool cases"}, analysis half ({Analysis.Count} cases)";
}
