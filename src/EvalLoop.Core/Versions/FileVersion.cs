namespace EvalLoop.Core.Versions;

/// <summary>
/// One version of a workspace file the user owns (an experiment YAML, a dataset JSONL, a scorer YAML), kept whole so
/// it can be read back and restored. EvalLoop records a version before and after every change it makes to such a file
/// (an approved suggestion, a restore), so nothing it writes ever silently replaces what was there.
/// </summary>
public sealed record FileVersion
{
    /// <summary>Assigned by the store on save (0 before); increases with every version stored.</summary>
    public long Id { get; init; }

    /// <summary>One of <see cref="FileVersionKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The experiment, dataset or scorer name the file defines.</summary>
    public required string Name { get; init; }

    /// <summary>The file's path relative to the workspace root, with '/' separators.</summary>
    public required string Path { get; init; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Content"/> as UTF-8 (<see cref="FileContentHash"/>).</summary>
    public required string Sha256 { get; init; }

    /// <summary>The whole file content.</summary>
    public required string Content { get; init; }

    /// <summary>
    /// The content version that runs record for this file: for an experiment the prompt version
    /// (<c>ExperimentRunner.PromptVersion</c>), for a dataset its content-hash version; null when not known.
    /// </summary>
    public string? ContentVersion { get; init; }

    /// <summary>The approved suggestion that produced this version, if any.</summary>
    public string? SuggestionId { get; init; }

    /// <summary>The version this one replaced (set by the store for the new version of a change).</summary>
    public long? PreviousId { get; init; }

    /// <summary>Who made the change (or, for a version recorded as found on disk, who was about to change it).</summary>
    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Why the version exists, e.g. "approved suggestion s-1a2b3c4d" or "as found before approving s-1a2b3c4d".</summary>
    public string? Note { get; init; }
}

/// <summary>What kind of file a <see cref="FileVersion"/> is.</summary>
public static class FileVersionKinds
{
    public const string Experiment = "experiment";
    public const string Dataset = "dataset";
    public const string Scorer = "scorer";

    /// <summary>A goal file (<c>experiments/goals/NAME.yaml</c>), versioned under the goal's name.</summary>
    public const string Goal = "goal";

    public static bool IsKnown(string? kind) => kind is Experiment or Dataset or Scorer or Goal;
}
