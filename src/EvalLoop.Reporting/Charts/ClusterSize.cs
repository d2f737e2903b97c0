namespace EvalLoop.Reporting.Charts;

/// <summary>A failure cluster's label and size, for the cluster chart.</summary>
internal sealed record ClusterSize(string Name, int Size);
