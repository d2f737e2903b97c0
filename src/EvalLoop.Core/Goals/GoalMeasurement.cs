using EvalLoop.Core.Experiments;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Goals;

/// <summary>
/// Measures a goal (<see cref="GoalTracker"/>) and checks its references: an experiment that is missing or does not
/// name the goal, a covering scorer the experiment lacks. Those problems are reported with the goal rather than
/// thrown, so one broken link hides nothing else. Every host shows goals through this (<c>evalloop goal show/list</c>,
/// the service's API and web pages).
/// </summary>
public sealed class GoalMeasurement(ExperimentLoader experiments, GoalTracker tracker)
{
    /// <summary>The tracker that measures the goal's coverage (and its trends).</summary>
    public GoalTracker Tracker => tracker;

    /// <summary>The goal's report, with the problems of its references before those of its measurement.</summary>
    public async Task<GoalReport> MeasureAsync(GoalDefinition goal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goal);
        var problems = new List<string>();
        foreach (var name in goal.Experiments)
        {
            try
            {
                var experiment = await experiments.LoadAsync(name, cancellationToken);
                if (GoalReference.GoalName(experiment.Goal) != goal.Name)
                {
                    problems.Add($"experiment {name} does not name this goal (goal: {experiment.Goal ?? "none"})");
                }

                foreach (var cover in goal.Requirements.SelectMany(r => r.CoveredBy).Where(c => c.Experiment == name).DistinctBy(c => c.Scorer))
                {
                    if (experiment.Scorers.All(s => s.Name != cover.Scorer))
                    {
                        problems.Add($"experiment {name} has no scorer '{cover.Scorer}' (scorers: {string.Join(", ", experiment.Scorers.Select(s => s.Name))})");
                    }
                }
            }
            catch (WorkspaceFileException ex)
            {
                problems.Add($"experiment {name}: {ex.Message}");
            }
        }

        var report = await tracker.EvaluateAsync(goal, cancellationToken);
        return report with { Problems = [.. problems, .. report.Problems] };
    }
}
