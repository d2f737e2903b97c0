namespace EvalLoop.Core.Runs;

/// <summary>The regressions found by comparing runs with their baselines; a run with any is flagged as a regression.</summary>
public interface IRegressionStore
{
    /// <summary>Stores the regressions of one run (one per scorer), replacing any stored for the same (run, scorer).</summary>
    Task SaveAsync(IReadOnlyList<RunRegression> regressions, CancellationToken cancellationToken = default);

    /// <summary>The regressions of <paramref name="runId"/>, by scorer; empty when the run is not flagged.</summary>
    Task<IReadOnlyList<RunRegression>> ListForRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Regressions, newest first, optionally of one experiment.</summary>
    Task<IReadOnlyList<RunRegression>> ListAsync(string? experimentName = null, int limit = 100, CancellationToken cancellationToken = default);
}
