namespace EvalLoop.Core.Analysis;

/// <summary>Stores a run's failure analysis.</summary>
public interface IClusterStore
{
    /// <summary>Stores <paramref name="analysis"/>, replacing any earlier analysis of the same run, atomically.</summary>
    Task SaveAsync(ClusterAnalysis analysis, CancellationToken cancellationToken = default);

    /// <summary>The run's latest analysis, or null when it was never analysed.</summary>
    Task<ClusterAnalysis?> GetAsync(string runId, CancellationToken cancellationToken = default);
}
