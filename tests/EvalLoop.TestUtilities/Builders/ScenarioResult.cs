using EvalLoop.Core.Runs;

namespace EvalLoop.TestUtilities.Builders;

/// <summary>What a scenario's case produced: an output that passes or fails, or an error.</summary>
public sealed record ScenarioResult(string? Output, bool Passed, double LatencyMs = 10, string? Error = null, string? Rationale = null, bool Skip = false)
{
    /// <summary>Scores to store as given instead of deriving one per scorer from <see cref="Passed"/>.</summary>
    public IReadOnlyList<ScoreRecord>? Scores { get; init; }

    public static ScenarioResult Pass(string output, double latencyMs = 10) => new(output, true, latencyMs);

    public static ScenarioResult Fail(string output, double latencyMs = 10, string? rationale = null) => new(output, false, latencyMs, Rationale: rationale);

    public static ScenarioResult Errored(string kind) => new(null, false, 0, kind);
}
