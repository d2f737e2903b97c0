namespace EvalLoop.Core.Scheduling;

/// <summary>
/// One execution of an experiment's background job, as the service's job history shows it: when it ran, how it ended
/// (<see cref="JobOutcome"/>), the run it made (if any) and why it failed.
/// </summary>
public sealed record JobExecution
{
    /// <summary>Assigned by the store; 0 before it is recorded.</summary>
    public long Id { get; init; }

    public required string ExperimentName { get; init; }

    /// <summary>What fired it: <see cref="JobTriggers.Schedule"/>, <see cref="JobTriggers.Manual"/> or <see cref="JobTriggers.Resume"/>.</summary>
    public required string Trigger { get; init; }

    /// <summary>One of <see cref="JobOutcome"/>'s constants.</summary>
    public required string Outcome { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The run the job made or resumed; null when it failed before starting one, or was skipped.</summary>
    public string? RunId { get; init; }

    /// <summary>Why it failed, or why it was skipped.</summary>
    public string? Error { get; init; }
}

/// <summary>How a job execution ended.</summary>
public static class JobOutcome
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>It fired while the experiment was running and the overlap policy is <c>skip</c>: nothing ran.</summary>
    public const string Skipped = "skipped";

    /// <summary>The host stopped while it ran; its run is kept as interrupted.</summary>
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Succeeded, Failed, Skipped, Cancelled];

    public static bool IsKnown(string? outcome) => outcome is not null && All.Contains(outcome, StringComparer.Ordinal);
}

/// <summary>What started a job execution.</summary>
public static class JobTriggers
{
    /// <summary>The experiment's cron schedule.</summary>
    public const string Schedule = "schedule";

    /// <summary>Run now (UI or API), or a re-run after an approval.</summary>
    public const string Manual = "manual";

    /// <summary>The host resumed a run left interrupted when it last stopped.</summary>
    public const string Resume = "resume";
}
