namespace EvalLoop.Core.Scoring;

/// <summary>
/// One scorer's verdict on one output: a score in [0, 1] (null when it could not score), pass/fail against the
/// scorer's threshold, a short rationale a human can read, and an error when the inputs could not be scored.
/// </summary>
/// <param name="Judge">What the judge model call cost, for model-graded scorers; null for scorers that call no model.</param>
public sealed record ScoreResult(double? Score, bool Passed, string? Rationale, string? Error = null, JudgeUsage? Judge = null)
{
    public static ScoreResult Failure(string error) => new(null, false, null, error);

    public static ScoreResult FromScore(double score, double threshold, string? rationale) =>
        new(score, score >= threshold, rationale);
}
