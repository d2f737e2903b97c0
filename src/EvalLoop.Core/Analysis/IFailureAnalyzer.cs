namespace EvalLoop.Core.Analysis;

/// <summary>
/// Groups a run's failing results (any scorer below its threshold, or an error) into named failure patterns and
/// stores them with the run (<see cref="IClusterStore"/>), replacing any earlier analysis of it.
/// </summary>
public interface IFailureAnalyzer
{
    /// <summary>Analyses the stored results of <paramref name="runId"/>; the same results give the same clusters.</summary>
    /// <exception cref="Running.RunNotFoundException">No run has that id.</exception>
    Task<ClusterAnalysis> AnalyzeAsync(string runId, IProgress<AnalysisProgress>? progress = null, CancellationToken cancellationToken = default);
}
