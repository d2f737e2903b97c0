namespace EvalLoop.Core.Runs;

/// <summary>
/// The regressions found by comparing runs with their baselines; a run with any is flagged as a regression. The
/// regressions of one run are <see cref="RegressionStoreExtensions.ListForRunAsync"/>.
/// </summary>
public interface IRegressionStore
{
    /// <summary>Stores the regressions of one run (one per scorer), replacing any stored for the same (run, scorer).</summary>
    Task SaveAsync(IReadOnlyList<RunRegression> regressions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every regression of the runs <paramref name="runIds"/>, by run id then scorer (ordinal), in one read; a run that is
    /// not flagged (or does not exist) has none. Empty for no ids.
    /// </summary>
    Task<IReadOnlyList<RunRegression>> ListForRunsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every regression of the newest <paramref name="runLimit"/> flagged runs, optionally of one experiment: the limit
    /// counts runs, not rows, so a run flagged on many scorers is never cut short. Runs newest first (by the latest
    /// <see cref="RunRegression.DetectedAt"/> of their rows; equal times by run id, ordinal), each run's rows by scorer
    /// (ordinal).
    /// </summary>
    Task<IReadOnlyList<RunRegression>> ListNewestRunsAsync(string? experimentName = null, int runLimit = 100, CancellationToken cancellationToken = default);
}
