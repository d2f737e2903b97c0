namespace EvalLoop.Core.Analysis;

/// <summary>
/// What every <see cref="IClusterStore"/> checks before it saves, so no store keeps an analysis the others would
/// reject: cluster ids unique and not empty, indexes unique, members unique within their cluster, and every
/// representative one of its cluster's members.
/// </summary>
public static class ClusterAnalysisValidation
{
    /// <summary>The exception every store throws when the analysed run is not stored.</summary>
    public static InvalidOperationException UnknownRun(ClusterAnalysis analysis, Exception? innerException = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return new InvalidOperationException($"The analysis refers to run '{analysis.RunId}', which is not stored.", innerException);
    }

    /// <exception cref="ArgumentException">The analysis breaks one of the rules; the message says which cluster and how.</exception>
    public static void ThrowIfInvalid(ClusterAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentException.ThrowIfNullOrWhiteSpace(analysis.RunId, nameof(analysis));
        ArgumentNullException.ThrowIfNull(analysis.AnalyzerVersion, nameof(analysis));
        ArgumentNullException.ThrowIfNull(analysis.ParametersJson, nameof(analysis));
        ArgumentNullException.ThrowIfNull(analysis.Clusters, nameof(analysis));
        if (analysis.FailureCount < 0)
        {
            throw new ArgumentException($"The failure count cannot be negative (found {analysis.FailureCount}).", nameof(analysis));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var indexes = new HashSet<int>();
        foreach (var cluster in analysis.Clusters)
        {
            if (string.IsNullOrWhiteSpace(cluster.Id) || !ids.Add(cluster.Id))
            {
                throw new ArgumentException($"Cluster ids must be unique and not empty; '{cluster.Id}' is not.", nameof(analysis));
            }

            if (!indexes.Add(cluster.Index))
            {
                throw new ArgumentException($"Cluster '{cluster.Id}' repeats index {cluster.Index}.", nameof(analysis));
            }

            var members = new HashSet<ClusterMember>();
            foreach (var member in cluster.Members)
            {
                if (!members.Add(member))
                {
                    throw new ArgumentException($"Cluster '{cluster.Id}' lists case '{member.CaseId}' trial {member.Trial} twice.", nameof(analysis));
                }
            }

            var representatives = new HashSet<ClusterMember>();
            foreach (var representative in cluster.Representatives)
            {
                if (!members.Contains(representative) || !representatives.Add(representative))
                {
                    throw new ArgumentException($"Cluster '{cluster.Id}': representative case '{representative.CaseId}' trial {representative.Trial} is not a member, or is listed twice.", nameof(analysis));
                }
            }
        }
    }
}
