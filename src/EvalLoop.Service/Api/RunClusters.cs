using System.Text.Json.Serialization;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Runs;
using EvalLoop.Reporting.Runs;
using EvalLoop.Service.Composition;

namespace EvalLoop.Service.Api;

/// <summary>
/// A run's failure clusters as the analyzer stored them (<see cref="IClusterStore"/>), with each cluster's
/// representative cases joined to their input, expected value and output, for the API and the web UI.
/// </summary>
public sealed record RunClusters(string RunId, bool Analyzed, int? Failures, string? AnalyzerVersion, DateTimeOffset? AnalyzedAt, IReadOnlyList<ClusterDto> Clusters)
{
    /// <summary>The clusters as the run report shows them (the web page renders these; the API shows <see cref="Clusters"/>).</summary>
    [JsonIgnore]
    public IReadOnlyList<FailureClusterView> Views { get; init; } = [];

    /// <summary>The run's clusters (empty and not analysed when the analyzer has not run on it).</summary>
    public static async Task<RunClusters> ReadAsync(EvalLoopServices services, RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(run);
        var runId = run.Id;
        var analysis = await services.ClusterStore.GetAsync(runId, cancellationToken);
        if (analysis is null)
        {
            return new RunClusters(runId, false, null, null, null, []);
        }

        var views = await FailureClusterView.ReadAsync(analysis, run, services.Runs, services.Datasets, cancellationToken);
        var clusters = views.Select(v => new ClusterDto(
            v.Cluster.Id,
            v.Cluster.Index,
            v.Cluster.Name,
            v.Cluster.Description,
            v.Cluster.Kind,
            v.Cluster.Size,
            v.Cluster.Share,
            v.Cluster.NamedBy,
            v.Cluster.TopTerms,
            v.Cluster.ConfusionPairs,
            v.Cluster.ScorerFailures,
            v.Representatives.Select(r => new RepresentativeDto(r.CaseId, r.Trial, r.Input, r.Expected, r.Result?.Output, r.Result?.ErrorKind, r.Result?.ErrorMessage)).ToList())).ToList();
        return new RunClusters(runId, true, analysis.FailureCount, analysis.AnalyzerVersion, analysis.CreatedAt, clusters) { Views = views };
    }
}

/// <summary>A named failure pattern: kind (confusion, invalid-label, empty-output, error, scorer, mixed), size and share of the failures.</summary>
public sealed record ClusterDto(
    string Id,
    int Index,
    string Name,
    string Description,
    string Kind,
    int Size,
    double Share,
    string NamedBy,
    IReadOnlyList<string> TopTerms,
    IReadOnlyList<ConfusionPair> ConfusionPairs,
    IReadOnlyList<ScorerFailure> ScorerFailures,
    IReadOnlyList<RepresentativeDto> Representatives);

/// <summary>A case near a cluster's centre: its input and expected value (null when the dataset version is gone), and the run's output or error.</summary>
public sealed record RepresentativeDto(string CaseId, int Trial, string? Input, string? Expected, string? Output, string? ErrorKind, string? ErrorMessage);
