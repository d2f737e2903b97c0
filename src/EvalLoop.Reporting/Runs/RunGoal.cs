using EvalLoop.Core.Goals;

namespace EvalLoop.Reporting.Runs;

/// <summary>
/// The goal a run's experiment names: its definition and the requirements this experiment covers, measured on the run;
/// or, when the goal file is missing or invalid, why it cannot be shown.
/// </summary>
internal sealed record RunGoal(string Name, GoalDefinition? Goal, IReadOnlyList<RequirementReport> Requirements, string? Problem);
