using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;

namespace EvalLoop.Reporting.Runs;

/// <summary>A failure cluster with its representatives joined to their cases and results, as every view of clusters shows it.</summary>
public sealed record FailureClusterView(FailureCluster Cluster, IReadOnlyList<ClusterRepresentative> Representatives)
{
    /// <summary>The clusters of <paramref name="analysis"/> by index, each representative looked up by <paramref name="representative"/>.</summary>
    public static IReadOnlyList<FailureClusterView> Join(ClusterAnalysis analysis, Func<ClusterMember, ClusterRepresentative> representative)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(representative);
        return analysis.Clusters.OrderBy(c => c.Index).Select(c => new FailureClusterView(c, c.Representatives.Select(representative).ToList())).ToList();
    }

    /// <summary>
    /// The clusters of <paramref name="analysis"/> of <paramref name="run"/>, reading only the representatives' results and
    /// cases (a report reads them in its one pass over the run instead, and uses <see cref="Join"/>).
    /// </summary>
    public static async Task<IReadOnlyList<FailureClusterView>> ReadAsync(ClusterAnalysis analysis, RunRecord run, IRunResultStore results, IDatasetStore datasets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(datasets);
        var wanted = analysis.Clusters.SelectMany(c => c.Representatives).Select(m => (m.CaseId, m.Trial)).ToHashSet();
        var found = new Dictionary<(string, int), CaseResult>();
        await foreach (var result in results.ReadAsync(run.Id, cancellationToken))
        {
            if (wanted.Contains((result.CaseId, result.Trial)))
            {
                found[(result.CaseId, result.Trial)] = result;
            }
        }

        var caseIds = wanted.Select(w => w.CaseId).ToHashSet(StringComparer.Ordinal);
        var cases = new Dictionary<string, DatasetCase>(StringComparer.Ordinal);
        if (caseIds.Count > 0)
        {
            await foreach (var c in datasets.ReadCasesAsync(run.DatasetVersion, run.Split, cancellationToken))
            {
                if (caseIds.Contains(c.Id))
                {
                    cases.TryAdd(c.Id, c);
                }
            }
        }

        return Join(analysis, m =>
        {
            cases.TryGetValue(m.CaseId, out var @case);
            return new ClusterRepresentative(m.CaseId, m.Trial, @case?.InputText, @case?.ExpectedText, found.GetValueOrDefault((m.CaseId, m.Trial)));
        });
    }
}
