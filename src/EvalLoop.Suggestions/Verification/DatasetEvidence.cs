namespace EvalLoop.Suggestions.Verification;

/// <summary>
/// The <c>EvidenceJson</c> of a dataset suggestion: the rows to add, remove or relabel, and the baseline pass rate with
/// and without them on the runs that cover them.
/// </summary>
public sealed record DatasetEvidence
{
    public string Verdict { get; init; } = Verdicts.NeedsReview;

    public required string RequestedRunId { get; init; }

    public required string AnalysisRunId { get; init; }

    /// <summary>Baseline figures: what the current prompt scores on the affected set with the rows as they are and as proposed.</summary>
    public IReadOnlyList<BaselineFigure> Baseline { get; init; } = [];

    /// <summary>For rows to add: the run of the current prompt on them, if one was needed.</summary>
    public string? RowsRunId { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>One "with and without" figure: a pass rate over <paramref name="Cases"/> cases of a run.</summary>
public sealed record BaselineFigure(string Label, string RunId, int Cases, double PassRate);
