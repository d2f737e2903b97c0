using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;

namespace EvalLoop.Cli.Output;

/// <summary>The machine-readable summary printed by <c>run --json</c> and <c>runs show --json</c>.</summary>
public static class RunReportJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static JsonObject Build(RunRecord run, RunSummary summary, ExperimentEvaluation evaluation, double? failUnder)
    {
        var scorers = new JsonObject();
        foreach (var scorer in evaluation.Scorers)
        {
            scorers[scorer.Figures.Scorer] = new JsonObject
            {
                ["mean"] = scorer.Figures.Mean,
                ["pass_rate"] = scorer.Figures.PassRate,
                ["target"] = scorer.Target,
                ["met"] = scorer.Met,
                ["scored"] = scorer.Figures.Scored,
                ["errors"] = scorer.Figures.Errors,
                ["mean_ci"] = Interval(scorer.Figures.MeanInterval),
                ["pass_rate_ci"] = Interval(scorer.Figures.PassRateInterval),
                ["mean_trial_variance"] = scorer.Figures.MeanTrialVariance,
                ["unstable_cases"] = scorer.Figures.UnstableCaseCount,
            };
        }

        var errorKinds = new JsonObject();
        foreach (var (kind, count) in summary.ErrorKinds)
        {
            errorKinds[kind] = count;
        }

        var passRate = summary.Results == 0 ? 0 : (double)summary.Passed / summary.Results;
        return new JsonObject
        {
            ["run_id"] = run.Id,
            ["experiment"] = run.ExperimentName,
            ["status"] = run.Status,
            ["mode"] = run.Mode,
            ["parent_run_id"] = run.ParentRunId,
            ["dataset"] = run.DatasetName,
            ["dataset_version"] = run.DatasetVersion,
            ["split"] = run.Split,
            ["prompt_version"] = run.PromptVersion,
            ["provider"] = run.Provider,
            ["model"] = run.Model,
            ["planned"] = run.PlannedResults,
            ["cases"] = summary.Results,
            ["passed"] = summary.Passed,
            ["failed"] = summary.Failed,
            ["errored"] = summary.Errored,
            ["pass_rate"] = passRate,
            ["scorers"] = scorers,
            ["targets_met"] = evaluation.TargetsMet,
            ["fail_under"] = failUnder,
            ["tokens"] = summary.InputTokens + summary.OutputTokens,
            ["input_tokens"] = summary.InputTokens,
            ["output_tokens"] = summary.OutputTokens,
            ["cost"] = summary.Cost,
            ["cache_hits"] = summary.CacheHits,
            ["latency_p50_ms"] = Math.Round(summary.LatencyP50Ms, 3),
            ["latency_p95_ms"] = Math.Round(summary.LatencyP95Ms, 3),
            ["error_kinds"] = errorKinds,
            ["judge"] = new JsonObject
            {
                ["calls"] = summary.JudgeCalls,
                ["input_tokens"] = summary.JudgeInputTokens,
                ["output_tokens"] = summary.JudgeOutputTokens,
                ["tokens"] = summary.JudgeInputTokens + summary.JudgeOutputTokens,
                ["cost"] = summary.JudgeCost,
                ["cache_hits"] = summary.JudgeCacheHits,
            },
            ["unstable_cases"] = new JsonArray(summary.UnstableCases.Select(u => (JsonNode)new JsonObject
            {
                ["case_id"] = u.CaseId,
                ["scorer"] = u.Scorer,
                ["variance"] = u.Variance,
                ["scores"] = new JsonArray(u.Scores.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
            }).ToArray()),
            ["wall_seconds"] = Math.Round(run.WallSeconds, 3),
            ["started_at"] = run.StartedAt,
            ["finished_at"] = run.FinishedAt,
            ["error"] = run.Error,
        };
    }

    /// <summary>A 95% interval as <c>[lower, upper]</c>, or null when the scorer scored nothing.</summary>
    private static JsonArray? Interval(ConfidenceInterval? interval) =>
        interval is null ? null : new JsonArray(interval.Lower, interval.Upper);
}
