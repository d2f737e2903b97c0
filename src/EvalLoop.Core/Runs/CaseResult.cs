namespace EvalLoop.Core.Runs;

/// <summary>
/// The result of one (case, trial): the output (or the error that prevented one), each scorer's verdict, and what
/// the call cost. <see cref="Passed"/> is true when there is no error and every scorer passed.
/// </summary>
public sealed record CaseResult
{
    public required string RunId { get; init; }

    public required string CaseId { get; init; }

    public int Trial { get; init; }

    /// <summary>Position of the case in the dataset snapshot, to list results in file order.</summary>
    public int Ordinal { get; init; }

    public string? Output { get; init; }

    /// <summary>Null when the model call succeeded; else e.g. <c>template</c>, <c>timeout</c>, <c>http_429</c>, <c>network</c>, <c>provider</c>.</summary>
    public string? ErrorKind { get; init; }

    public string? ErrorMessage { get; init; }

    public required IReadOnlyList<ScoreRecord> Scores { get; init; }

    public bool Passed { get; init; }

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    public decimal Cost { get; init; }

    public bool CacheHit { get; init; }

    public double LatencyMs { get; init; }

    public DateTimeOffset CompletedAt { get; init; }
}

/// <summary>One scorer's verdict as stored with a case result.</summary>
/// <param name="Judge">Tokens and cost of the judge call behind this verdict (model-graded scorers only).</param>
public sealed record ScoreRecord(string Scorer, double? Score, bool Passed, string? Rationale, string? Error, Scoring.JudgeUsage? Judge = null);
