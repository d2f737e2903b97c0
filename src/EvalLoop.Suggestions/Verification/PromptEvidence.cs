using EvalLoop.Core.Statistics;

namespace EvalLoop.Suggestions.Verification;

/// <summary>
/// The <c>EvidenceJson</c> of a prompt suggestion: a real experiment of the proposed prompt against the current one on
/// the same verification cases, none of which motivated or went into the suggestion.
/// </summary>
public sealed record PromptEvidence
{
    /// <summary>One of <see cref="Verdicts"/>.</summary>
    public required string Verdict { get; init; }

    /// <summary>The run the user asked suggestions for.</summary>
    public required string RequestedRunId { get; init; }

    /// <summary>The run whose failures the suggester analysed (the analysis half of the working split).</summary>
    public required string AnalysisRunId { get; init; }

    public required string BaselineRunId { get; init; }

    public required string CandidateRunId { get; init; }

    /// <summary>Human-readable: which cases verification used, e.g. "dev, verification half (311 cases)".</summary>
    public required string VerificationSet { get; init; }

    public required int VerificationCases { get; init; }

    /// <summary>Cases of the verification set left out because they motivated or went into the suggestion.</summary>
    public IReadOnlyList<string> ExcludedByFirewall { get; init; } = [];

    /// <summary>The scorer whose score the bootstrap compares (the experiment's first target scorer, else its first scorer).</summary>
    public required string Scorer { get; init; }

    public required double SignificanceLevel { get; init; }

    /// <summary>Share of verification cases passing (every scorer passed, no error) with the current prompt.</summary>
    public required double BaselinePassRate { get; init; }

    public required double CandidatePassRate { get; init; }

    /// <summary><see cref="CandidatePassRate"/> − <see cref="BaselinePassRate"/>.</summary>
    public required double Delta { get; init; }

    /// <summary>Written as <c>mc_nemar</c> (the snake_case of the name), as evidence already stored has it.</summary>
    public required McNemarResult McNemar { get; init; }

    /// <summary>Bootstrap CI of the mean paired difference of <see cref="Scorer"/>'s score.</summary>
    public required BootstrapResult ScoreDelta { get; init; }

    public IReadOnlyList<string> FixedCaseIds { get; init; } = [];

    public IReadOnlyList<string> BrokenCaseIds { get; init; } = [];

    /// <summary>Pass-rate change per failure cluster's slice of the verification cases.</summary>
    public IReadOnlyList<ClusterDelta> Clusters { get; init; } = [];

    /// <summary>Clusters whose slice lost more than the allowed points, called out for the reviewer.</summary>
    public IReadOnlyList<string> Regressions { get; init; } = [];

    public required UsageDelta Usage { get; init; }

    /// <summary>Other candidates verified alongside and not kept.</summary>
    public IReadOnlyList<CandidateOutcome> Alternatives { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A failure cluster's slice of the verification cases and how its pass rate changed.</summary>
/// <param name="Slice">How the slice was formed: <c>labels</c> (cases whose expected label the cluster involves) or <c>nearest</c> (cases nearest the cluster's inputs).</param>
public sealed record ClusterDelta(string ClusterId, string Name, string Slice, int Cases, double Baseline, double Candidate, double Delta, bool Regressed);

/// <summary>Tokens, cost and latency of the two verification runs (means per case; latency medians).</summary>
public sealed record UsageDelta(
    double BaselineInputTokens,
    double CandidateInputTokens,
    double BaselineOutputTokens,
    double CandidateOutputTokens,
    decimal BaselineCost,
    decimal CandidateCost,
    double BaselineLatencyP50Ms,
    double CandidateLatencyP50Ms,
    int BaselineCacheHits,
    int CandidateCacheHits);

/// <summary>A candidate verified and not kept (or kept), in one line.</summary>
public sealed record CandidateOutcome(string Strategy, string Title, double Delta, double PValue, string Verdict, string CandidateRunId, string Fingerprint);
