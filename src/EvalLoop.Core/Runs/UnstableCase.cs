namespace EvalLoop.Core.Runs;

/// <summary>A case whose score from one scorer differed across trials: its scores in trial order and their variance.</summary>
/// <param name="Variance">Population variance of <paramref name="Scores"/> (at most 0.25 for scores in [0, 1]).</param>
public sealed record UnstableCase(string CaseId, string Scorer, double Variance, IReadOnlyList<double> Scores);
