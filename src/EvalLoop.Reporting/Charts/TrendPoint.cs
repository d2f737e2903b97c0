namespace EvalLoop.Reporting.Charts;

/// <summary>One run of the experiment on the trend chart.</summary>
internal sealed record TrendPoint(string RunId, DateTimeOffset StartedAt, bool IsCurrent, IReadOnlyDictionary<string, TrendFigures> Scorers);
