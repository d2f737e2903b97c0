namespace EvalLoop.Core.Goals;

/// <summary>The status of a requirement or a goal.</summary>
public static class GoalStatus
{
    /// <summary>The latest run reached the target.</summary>
    public const string Met = "met";

    /// <summary>The latest run is below the target, and no earlier run reached it.</summary>
    public const string Missed = "missed";

    /// <summary>The latest run is below the target, but an earlier run (the baseline) reached it.</summary>
    public const string Regressed = "regressed";

    /// <summary>No scorer measures the requirement.</summary>
    public const string Uncovered = "uncovered";

    /// <summary>Covered, but no completed run has measured it yet.</summary>
    public const string NotRun = "not-run";

    /// <summary>
    /// The goal's overall status: regressed if any requirement regressed, else missed if any missed, else not-run if
    /// any is unmeasured, else uncovered if any is uncovered, else met.
    /// </summary>
    public static string Overall(IEnumerable<string> statuses)
    {
        var all = statuses.ToList();
        foreach (var status in new[] { Regressed, Missed, NotRun, Uncovered })
        {
            if (all.Contains(status))
            {
                return status;
            }
        }

        return Met;
    }
}
