using EvalLoop.Core.Analysis;
using EvalLoop.Service.Composition;

namespace EvalLoop.Service.Api;

/// <summary>
/// A run's failure clusters as the analyzer stored them (<see cref="IClusterStore"/>), with each cluster's
/// representative cases joined to their input, expected value and output, for the API and the web UI.
/// </summary>
public sealed record RunClusters(string RunId, bool Analyzed, int? Failures, string? AnalyzerVersion, DateTimeOffset? AnalyzedAt, IReadOnlyList<ClusterDto> Clusters)
{
    /// <summary>The run's clusters (empty and not analysed when the analyzer has not run on it).</summary>
    public static async Task<RunClusters> ReadAsync(EvalLoopServices services, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var analysis = await services.ClusterStore.GetAsync(runId, cancellationToken);
        if (analysis is null)
        {
            return new RunClusters(runId, false, null, null, null, []);
        }

        var wanted = analysis.Clusters.SelectMany(c => c.Representatives).Select(m => (m.CaseId, m.Trial)).ToHashSet();
        var results = new Dictionary<(string, int), Core.Runs.CaseResult>();
        await foreach (var result in services.Runs.ReadAsync(runId, cancellationToken))
        {
            if (wanted.Contains((result.CaseId, result.Trial)))
            {
                results[(result.CaseId, result.Trial)] = result;
            }
        }

        var caseIds = wanted.Select(w => w.CaseId).ToHashSet(StringComparer.Ordinal);
        var cases = new Dictionary<string, Core.Datasets.DatasetCase>(StringComparer.Ordinal);
        if (caseIds.Count > 0 && await services.Runs.GetRunAsync(runId, cancellationToken) is { } run)
        {
            await foreach (var c in services.Datasets.ReadCasesAsync(run.DatasetVersion, run.Split, cancellationToken))
            {
                if (caseIds.Contains(c.Id))
                {
                    cases.TryAdd(c.Id, c);
                }
            }
        }

        var clusters = analysis.Clusters.OrderBy(c => c.Index).Select(c => new ClusterDto(
            c.Id,
            c.Index,
            c.Name,
            c.Description,
            c.Kind,
            c.Size,
            c.Share,
            c.NamedBy,
            c.TopTerms,
            c.ConfusionPairs,
            c.ScorerFailures,
            c.Representatives.Select(m =>
            {
                results.TryGetValue((m.CaseId, m.Trial), out var r);
                cases.TryGetValue(m.CaseId, out var @case);
                return new RepresentativeDto(m.CaseId, m.Trial, @case?.InputText, @case?.ExpectedText, r?.Output, r?.ErrorKind, r?.ErrorMessage);
            }).ToList())).ToList();
        return new RunClusters(runId, true, analysis.FailureCount, analysis.AnalyzerVersion, analysis.CreatedAt, clusters);
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
