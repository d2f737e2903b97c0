namespace EvalLoop.Core.Analysis;

/// <summary>
/// A named failure pattern: a group of a run's failing results that fail for the same reason.
/// </summary>
/// <param name="Id">Stable id, unique across runs (e.g. <c>{runId}-c{index}</c>).</param>
/// <param name="Index">Position in the analysis, largest cluster first (0-based).</param>
/// <param name="Name">A short name, e.g. "card_arrival → card_delivery_estimate".</param>
/// <param name="Description">One line a human can read.</param>
/// <param name="Share">Size as a fraction of the run's failing results.</param>
/// <param name="Members">Every failing result in the cluster.</param>
/// <param name="Representatives">The 3-5 members nearest the cluster's centre, most representative first.</param>
/// <param name="Kind">The dominant structured signal: <c>confusion</c>, <c>invalid-label</c>, <c>empty-output</c>, <c>error</c>, <c>scorer</c> or <c>mixed</c>.</param>
/// <param name="ScorerFailures">Per scorer: how many members it failed and their mean score.</param>
/// <param name="ConfusionPairs">For classification-like tasks: (expected → output) pairs in the cluster, most frequent first.</param>
/// <param name="TopTerms">Distinctive terms of the cluster (class-based TF-IDF), most distinctive first.</param>
/// <param name="NamedBy"><c>heuristic</c>, or <c>llm</c> when a real model wrote the name and description.</param>
public sealed record FailureCluster(
    string Id,
    int Index,
    string Name,
    string Description,
    double Share,
    IReadOnlyList<ClusterMember> Members,
    IReadOnlyList<ClusterMember> Representatives,
    string Kind,
    IReadOnlyList<ScorerFailure> ScorerFailures,
    IReadOnlyList<ConfusionPair> ConfusionPairs,
    IReadOnlyList<string> TopTerms,
    string NamedBy = "heuristic")
{
    public int Size => Members.Count;
}

/// <summary>One failing result: a dataset case id and the trial.</summary>
public sealed record ClusterMember(string CaseId, int Trial = 1);

/// <summary>How many of a cluster's members a scorer failed, and their mean score (null when none was scored).</summary>
public sealed record ScorerFailure(string Scorer, int Failed, double? MeanScore);

/// <summary>An (expected → output) confusion and how often it occurs.</summary>
public sealed record ConfusionPair(string Expected, string Output, int Count);
