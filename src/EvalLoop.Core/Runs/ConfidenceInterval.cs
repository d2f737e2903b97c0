namespace EvalLoop.Core.Runs;

/// <summary>A two-sided confidence interval, [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
public sealed record ConfidenceInterval(double Lower, double Upper);
