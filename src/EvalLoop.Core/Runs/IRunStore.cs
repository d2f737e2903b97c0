namespace EvalLoop.Core.Runs;

/// <summary>Stores run records (not their results; see <see cref="IRunResultStore"/>).</summary>
public interface IRunStore
{
    /// <summary>Inserts or replaces the run record.</summary>
    Task SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs, newest first, optionally of one experiment.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(string? experimentName = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs of one <paramref name="mode"/> (e.g. <c>full</c>, leaving out the suggester's verification runs), newest
    /// first, optionally of one experiment: the limit applies after the filter.
    /// </summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(string? experimentName, string mode, int limit, CancellationToken cancellationToken = default);
}
