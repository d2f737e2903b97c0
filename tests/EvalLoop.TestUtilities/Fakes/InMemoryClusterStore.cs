using System.Collections.Concurrent;
using EvalLoop.Core.Analysis;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// An in-memory <see cref="IClusterStore"/> with the same semantics as the SQLite one (the storage contract tests run
/// against both): validation, replace-on-save, and copies in and out so callers cannot change what is stored.
/// </summary>
/// <remarks>
/// It knows no runs: it accepts any run id unless <see cref="RunExists"/> is set, in which case it refuses an analysis
/// of a run the callback does not know, with the same exception as the SQLite store.
/// </remarks>
public sealed class InMemoryClusterStore : IClusterStore
{
    private readonly ConcurrentDictionary<string, ClusterAnalysis> _analyses = new(StringComparer.Ordinal);
    private int _saves;

    /// <summary>When set, whether a run id refers to a stored run; an analysis of an unknown run is refused.</summary>
    public Func<string, bool>? RunExists { get; init; }

    /// <summary>Number of successful <see cref="SaveAsync"/> calls.</summary>
    public int Saves => Volatile.Read(ref _saves);

    public Task SaveAsync(ClusterAnalysis analysis, CancellationToken cancellationToken = default)
    {
        ClusterAnalysisValidation.ThrowIfInvalid(analysis);
        cancellationToken.ThrowIfCancellationRequested();
        if (RunExists is { } runExists && !runExists(analysis.RunId))
        {
            throw ClusterAnalysisValidation.UnknownRun(analysis);
        }

        _analyses[analysis.RunId] = Copy(analysis);
        Interlocked.Increment(ref _saves);
        return Task.CompletedTask;
    }

    public Task<ClusterAnalysis?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return Task.FromResult(_analyses.TryGetValue(runId, out var analysis) ? Copy(analysis) : null);
    }

    private static ClusterAnalysis Copy(ClusterAnalysis analysis) => analysis with
    {
        Clusters = analysis.Clusters
            .Select(c => c with
            {
                Members = c.Members.ToArray(),
                Representatives = c.Representatives.ToArray(),
                ScorerFailures = c.ScorerFailures.ToArray(),
                ConfusionPairs = c.ConfusionPairs.ToArray(),
                TopTerms = c.TopTerms.ToArray(),
            })
            .OrderBy(c => c.Index)
            .ToArray(),
    };
}
