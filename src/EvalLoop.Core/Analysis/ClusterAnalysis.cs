namespace EvalLoop.Core.Analysis;

/// <summary>
/// The failure clusters of one run, with the analyzer version and parameters that produced them, so reports,
/// suggestions and the web UI read them instead of recomputing.
/// </summary>
/// <param name="FailureCount">How many of the run's results failed (any scorer below threshold, or an error).</param>
/// <param name="ParametersJson">The analyzer's parameters (k range, seed, chosen k, silhouette...) as JSON.</param>
public sealed record ClusterAnalysis(
    string RunId,
    string AnalyzerVersion,
    string ParametersJson,
    DateTimeOffset CreatedAt,
    int FailureCount,
    IReadOnlyList<FailureCluster> Clusters);
