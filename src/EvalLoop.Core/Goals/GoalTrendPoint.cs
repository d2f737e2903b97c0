namespace EvalLoop.Core.Goals;

/// <summary>A covering scorer's pass rate (on its slice) in one completed run; null when the run did not measure it.</summary>
public sealed record GoalTrendPoint(string RunId, DateTimeOffset StartedAt, double? PassRate, int Cases);
