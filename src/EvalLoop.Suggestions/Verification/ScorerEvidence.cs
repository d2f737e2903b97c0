namespace EvalLoop.Suggestions.Verification;

/// <summary>
/// The <c>EvidenceJson</c> of a scorer suggestion: the stored outputs re-scored under the proposed scorer (no model
/// calls), and every case whose pass/fail decision flips.
/// </summary>
public sealed record ScorerEvidence
{
    public string Verdict { get; init; } = Verdicts.Rescored;

    public required string RequestedRunId { get; init; }

    public IReadOnlyList<RescoredRun> Runs { get; init; } = [];

    /// <summary>For a model-graded scorer checked for self-agreement: the judge's agreement before and after, per run.</summary>
    public IReadOnlyList<JudgeConsistency> Consistency { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>One run re-scored: pass rates under the current and the proposed scorer, and the flipped cases.</summary>
public sealed record RescoredRun(string RunId, string Description, int Results, double PassRateBefore, double PassRateAfter, IReadOnlyList<Flip> Flips);

/// <summary>A result whose pass/fail decision changes under the proposed scorer.</summary>
public sealed record Flip(string CaseId, int Trial, string? Output, string? Expected, bool PassedBefore, bool PassedAfter, double? ScoreBefore, double? ScoreAfter);
