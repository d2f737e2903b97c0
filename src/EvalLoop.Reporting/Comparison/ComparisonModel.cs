using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Reporting.Statistics;
using EvalLoop.Reporting.Text;

namespace EvalLoop.Reporting.Comparison;

/// <summary>Two runs of (ideally) the same dataset, paired by (case id, trial), and what changed between them.</summary>
internal sealed class ComparisonModel
{
    public required RunSide Baseline { get; init; }

    public required RunSide Candidate { get; init; }

    /// <summary>Results present in both runs.</summary>
    public required int Pairs { get; init; }

    public required int Fixed { get; init; }

    public required int Broken { get; init; }

    public required int UnchangedPass { get; init; }

    public required int UnchangedFail { get; init; }

    /// <summary>Pairs whose verdict is the same but whose output differs.</summary>
    public required int OutputChanged { get; init; }

    public required int OnlyInBaseline { get; init; }

    public required int OnlyInCandidate { get; init; }

    /// <summary>Paired test of the overall pass/fail verdicts.</summary>
    public required McNemarResult Overall { get; init; }

    public required IReadOnlyList<ScorerComparison> Scorers { get; init; }

    public required IReadOnlyList<ChangedCase> FixedCases { get; init; }

    public required IReadOnlyList<ChangedCase> BrokenCases { get; init; }

    public required IReadOnlyList<ChangedCase> OutputChangedCases { get; init; }

    public required IReadOnlyList<SettingChange> Settings { get; init; }

    /// <summary>Line diffs of the system and user prompt templates; null when the prompts are identical.</summary>
    public IReadOnlyList<DiffLine>? SystemPromptDiff { get; init; }

    public IReadOnlyList<DiffLine>? UserPromptDiff { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }
}

/// <summary>One of the two runs.</summary>
internal sealed record RunSide(RunRecord Run, ExperimentDefinition? Experiment, RunSummary Summary, ExperimentEvaluation Evaluation);

/// <summary>
/// A scorer over the paired results: means and pass rates in each run, the paired bootstrap interval of the mean
/// difference (over pairs that both runs scored), and McNemar's test of its pass/fail verdicts.
/// </summary>
internal sealed record ScorerComparison(
    string Scorer,
    double? BaselineMean,
    double? CandidateMean,
    BootstrapInterval MeanDifference,
    double BaselinePassRate,
    double CandidatePassRate,
    int Verdicts,
    McNemarResult Test,
    bool? BaselineMet,
    bool? CandidateMet);

/// <summary>A paired case whose verdict or output changed, with both sides.</summary>
internal sealed record ChangedCase(
    string CaseId,
    int Trial,
    string? Input,
    string? Expected,
    CaseSide Baseline,
    CaseSide Candidate);

/// <summary>One run's output, error and verdicts on a case.</summary>
internal sealed record CaseSide(string Status, string? Output, string? Error, IReadOnlyList<ScoreRecord> Scores);

/// <summary>A setting that differs between the runs (model, dataset version, scorers, targets...).</summary>
internal sealed record SettingChange(string Setting, string? Baseline, string? Candidate);
