namespace EvalLoop.Core.Runs;

/// <summary>
/// One execution of an experiment. <see cref="ExperimentJson"/> is the exact experiment it ran (so a resume uses the
/// same prompt, model and scorers even if the file changed), and <see cref="DatasetVersion"/> the exact data.
/// </summary>
public sealed record RunRecord
{
    public required string Id { get; init; }

    public required string ExperimentName { get; init; }

    public string? ExperimentPath { get; init; }

    public required string ExperimentJson { get; init; }

    /// <summary>A short content hash of the prompt templates: runs with the same prompt share it.</summary>
    public required string PromptVersion { get; init; }

    public required string DatasetName { get; init; }

    public required string DatasetVersion { get; init; }

    public string? Split { get; init; }

    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required string Status { get; init; }

    /// <summary>What the run was made for: one of <see cref="RunModes"/>.</summary>
    public string Mode { get; init; } = RunModes.Full;

    /// <summary>For <c>rerun-failed</c>: the run whose failures this one re-runs.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>How many (case, trial) results the run will have when complete.</summary>
    public int PlannedResults { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Time spent executing, summed over resumes.</summary>
    public double WallSeconds { get; init; }

    public string? Error { get; init; }
}
