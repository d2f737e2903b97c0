using EvalLoop.Core.Runs;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// An in-memory <see cref="IRegressionStore"/> with the SQLite store's semantics (the storage contract tests run against
/// both): one regression per (run, scorer), a later save replacing an earlier one, and the same orders. It knows no
/// runs, so it accepts any run id.
/// </summary>
public sealed class InMemoryRegressionStore : IRegressionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string RunId, string Scorer), RunRegression> _regressions = [];

    public Task SaveAsync(IReadOnlyList<RunRegression> regressions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regressions);
        foreach (var r in regressions)
        {
            ArgumentNullException.ThrowIfNull(r);
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var r in regressions)
            {
                _regressions[(r.RunId, r.Scorer)] = r;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRegression>> ListForRunsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var wanted = runIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            IReadOnlyList<RunRegression> rows = _regressions.Values
                .Where(r => wanted.Contains(r.RunId))
                .OrderBy(r => r.RunId, StringComparer.Ordinal)
                .ThenBy(r => r.Scorer, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(rows);
        }
    }

    public Task<IReadOnlyList<RunRegression>> ListNewestRunsAsync(string? experimentName = null, int runLimit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(runLimit);
        lock (_lock)
        {
            IReadOnlyList<RunRegression> rows = _regressions.Values
                .Where(r => experimentName is null || r.ExperimentName == experimentName)
                .GroupBy(r => r.RunId, StringComparer.Ordinal)
                .OrderByDescending(run => run.Max(r => r.DetectedAt))
                .ThenBy(run => run.Key, StringComparer.Ordinal)
                .Take(runLimit)
                .SelectMany(run => run.OrderBy(r => r.Scorer, StringComparer.Ordinal))
                .ToList();
            return Task.FromResult(rows);
        }
    }
}
