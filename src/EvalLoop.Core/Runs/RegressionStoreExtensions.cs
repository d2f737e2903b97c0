namespace EvalLoop.Core.Runs;

public static class RegressionStoreExtensions
{
    /// <summary>The regressions of <paramref name="runId"/>, by scorer; empty when the run is not flagged.</summary>
    public static Task<IReadOnlyList<RunRegression>> ListForRunAsync(this IRegressionStore store, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runId);
        return store.ListForRunsAsync([runId], cancellationToken);
    }

}
