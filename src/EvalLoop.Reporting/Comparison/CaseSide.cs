using EvalLoop.Core.Runs;

namespace EvalLoop.Reporting.Comparison;

/// <summary>One run's output, error and verdicts on a case.</summary>
internal sealed record CaseSide(string Status, string? Output, string? Error, IReadOnlyList<ScoreRecord> Scores);
