namespace EvalLoop.Core.Goals;

/// <summary>The status of a requirement (or one covering scorer of it) or of a goal.</summary>
public static class GoalStatus
{
    /// <summary>The latest run reached the target.</summary>
    public const string Met = "met";

    /// <summary>The latest run is below the target, and its baseline did not reach it either (or it has no baseline).</summary>
    public const string Missed = "missed";

    /// <summary>
    /// The latest run is below the target, but its last approved baseline (<see cref="Runs.RunBaseline"/>: an earlier
    /// run on the same dataset version and split) reached it.
    /// </summary>
    public const string Regressed = "regressed";

    /// <summary>No scorer measures the requirement.</summary>
    public const string Uncovered = "uncovered";

    /// <summary>Covered, but no completed run has measured it yet.</summary>
    public const string NotRun = "not-run";

    /// <summary>
    /// Measured, but the requirement has no target: its latest pass rate is shown, and it is neither met nor missed
    /// (a score without a target says nothing about whether the goal is reached).
    /// </summary>
    public const string NoTarget = "no-target";

    /// <summary>
    /// The overall status of several statuses (a requirement's coverages, or a goal's requirements), worst first:
    /// regressed if any regressed, else missed if any missed, else not-run if any is unmeasured, else uncovered if any is
    /// uncovered; otherwise met if at least one reached its target (the rest being met or no-target), and no-target
    /// when none has a target; nothing at all is uncovered. So a goal is met only when every requirement is covered and measured, every target is
    /// reached, and there is at least one target.
    /// </summary>
    public static string Overall(IEnumerable<string> statuses)
    {
        var all = statuses.ToList();
        foreach (var status in new[] { Regressed, Missed, NotRun, Uncovered, Met })
        {
            if (all.Contains(status))
            {
                return status;
            }
        }

        return all.Count == 0 ? Uncovered : NoTarget;
    }
}
