using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Analysis;

namespace EvalLoop.Analysis.Describing;

/// <summary>
/// Optionally rewrites a cluster's heuristic name and description, e.g. with a language model grounded in the
/// cluster's representative cases (<see cref="ChatClientClusterNamer"/>). Offline there is no namer and the heuristic
/// names stand.
/// </summary>
public interface IClusterNamer
{
    /// <summary>A better name and description for <paramref name="cluster"/>, or null to keep the heuristic ones. Must not throw for a bad answer.</summary>
    ValueTask<ClusterName?> NameAsync(FailureCluster cluster, IReadOnlyList<FailureCase> representatives, CancellationToken cancellationToken = default);
}

/// <summary>A cluster's short name and one-line description.</summary>
public sealed record ClusterName(string Name, string Description);
