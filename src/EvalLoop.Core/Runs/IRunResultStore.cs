namespace EvalLoop.Core.Runs;

/// <summary>Stores per-case results, streamed in batches while a run executes.</summary>
public interface IRunResultStore
{
    /// <summary>
    /// Appends a batch in one transaction: all of it is stored or none. A result for a (run, case, trial) that already
    /// exists is replaced, so re-appending after a crash is safe.
    /// </summary>
    Task AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default);

    /// <summary>Streams a run's results in dataset order without loading them all.</summary>
    IAsyncEnumerable<CaseResult> ReadAsync(string runId, CancellationToken cancellationToken = default);

    Task<RunSummary> SummarizeAsync(string runId, CancellationToken cancellationToken = default);
}
