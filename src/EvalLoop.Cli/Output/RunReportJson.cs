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
            ["wall_seconds"] = Math.Round(run.WallSeconds, 3),
            ["started_at"] = run.StartedAt,
            ["finished_at"] = run.FinishedAt,
            ["error"] = run.Error,
        };
    }
}
