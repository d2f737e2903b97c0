using EvalLoop.Core.Statistics;
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
