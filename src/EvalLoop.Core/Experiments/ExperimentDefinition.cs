using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Core.Experiments;

/// <summary>
/// A parsed, validated experiment: a prompt + a model + a dataset + scorers, with targets on the scorers' pass rates.
/// Runs keep a JSON snapshot of this record so a resumed run uses exactly what it started with.
/// </summary>
public sealed record ExperimentDefinition
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? Goal { get; init; }

    /// <summary>A dataset name (a file <c>datasets/NAME.jsonl</c>) or a path to a <c>.jsonl</c> file.</summary>
    public required string Dataset { get; init; }

    public string? Split { get; init; }

    /// <summary>Run at most this many cases (the first N of the split, in file order); null runs all.</summary>
    public int? Limit { get; init; }

    public required PromptDefinition Prompt { get; init; }

    public required ModelSettings Model { get; init; }

    public required IReadOnlyList<ScorerDefinition> Scorers { get; init; }

    /// <summary>Scorer name to the minimum pass rate (fraction of cases passing) that meets the goal.</summary>
    public IReadOnlyDictionary<string, double> Targets { get; init; } = new Dictionary<string, double>();

    public int Concurrency { get; init; } = 8;

    public int Trials { get; init; } = 1;

    /// <summary>Quartz cron expression for the background service; null means on demand only.</summary>
    public string? Schedule { get; init; }

    /// <summary>
    /// What the background service does when the schedule fires while this experiment still runs: <c>wait</c> for the
    /// run to end, or <c>skip</c> that firing (<c>on_overlap:</c>); null uses the service's default.
    /// </summary>
    public string? OnOverlap { get; init; }

    /// <summary>Analyse the run's failures into named clusters after every run (<c>analyze: true</c>).</summary>
    public bool Analyze { get; init; }

    /// <summary>The YAML file this came from (absolute), or null when built in code.</summary>
    public string? SourcePath { get; init; }
}
