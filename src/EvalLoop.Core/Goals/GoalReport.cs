namespace EvalLoop.Core.Goals;

/// <summary>A goal with the measured status of every requirement.</summary>
public sealed record GoalReport(GoalDefinition Goal, IReadOnlyList<RequirementReport> Requirements, string Status, IReadOnlyList<string> Problems);

/// <summary>A requirement's status: the worst of its coverages' statuses.</summary>
public sealed record RequirementReport(GoalRequirement Requirement, IReadOnlyList<CoverageReport> Coverage, string Status);

/// <summary>
/// One covering scorer's latest measurement: the pass rate on the slice in the latest completed run, against the
/// requirement's target, and, when it regressed, the baseline run (<see cref="Runs.RunBaseline"/>) that met the target.
/// </summary>
public sealed record CoverageReport(
    GoalCoverage Coverage,
    string Status,
    string? LatestRunId,
    double? PassRate,
    int Cases,
    string? BaselineRunId,
    double? BaselinePassRate,
    string? Problem);
