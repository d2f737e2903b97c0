using System.Collections.Concurrent;
using EvalLoop.Core.Runs;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>An in-memory <see cref="IRegressionStore"/>: the regressions saved, one per (run, scorer).</summary>
public sealed class InMemoryRegressionStore : IRegressionStore
{
    private readonly ConcurrentDictionary<(string RunId, string Scorer), RunRegression> _regressions = new();

    public Task SaveAsync(IReadOnlyList<RunRegression> regressions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regressions);
        foreach (var regression in regressions)
        {
            _regressions[(regression.RunId, regression.Scorer)] = regression;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRegression>> ListForRunsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var ids = runIds.ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<RunRegression> found = _regressions.Values.Where(r => ids.Contains(r.RunId))
            .OrderBy(r => r.RunId, StringComparer.Ordinal).ThenBy(r => r.Scorer, StringComparer.Ordinal).ToList();
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<RunRegression>> ListAsync(string? experimentName = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RunRegression> found = _regressions.Values.Where(r => experimentName is null || r.ExperimentName == experimentName)
            .OrderByDescending(r => r.DetectedAt).Take(limit).ToList();
        return Task.FromResult(found);
    }
}
