using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvalLoop.Service.Api;

/// <summary>The JSON HTTP API under <c>/api</c> (snake_case; described at <c>/openapi/v1.json</c>).</summary>
public static class ApiEndpoints
{
    /// <summary>Who a decision is recorded as when the API call names nobody.</summary>
    public const string DefaultDecider = "api";

    public static IEndpointRouteBuilder MapEvalLoopApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("EvalLoop");

        api.MapGet("/experiments", async (EvalLoopServices services, ExperimentSchedules schedules, CancellationToken ct) =>
            Results.Ok(await ExperimentStatus.ListAsync(services, schedules, ct)))
            .WithName("ListExperiments").WithSummary("Experiments with their goal, schedule and latest run's status (met / missed).");

        api.MapPost("/experiments/{name}/run", async (string name, ExperimentSchedules schedules, CancellationToken ct) =>
            await schedules.TriggerAsync(name, ct)
                ? Results.Accepted($"/api/runs?experiment={Uri.EscapeDataString(name)}", new { experiment = name, queued = true })
                : Results.NotFound(new { error = $"there is no experiment '{name}' in experiments/" }))
            .WithName("RunExperiment").WithSummary("Queue a run of the experiment now (after its running one, if any): run, analyze, suggest, report.");

        api.MapGet("/runs", async (string? experiment, int? limit, bool? all, EvalLoopServices services, CancellationToken ct) =>
        {
            var runs = await services.Runs.ListRunsForUserAsync(experiment, all ?? false, Math.Clamp(limit ?? 100, 1, 1000), ct);
            var flagged = await RegressionDto.ForRunsAsync(services, runs, ct);
            return Results.Ok(runs.Select(r => RunDto.From(r, flagged.GetValueOrDefault(r.Id))));
        }).WithName("ListRuns").WithSummary("Users' runs (modes full and rerun-failed), newest first, optionally of one experiment; ?all=true also lists internal runs (the suggester's analysis and verification runs, goal drafts' empty runs). A run flagged as a regression has a `regression`.");

        api.MapGet("/runs/{id}", async (string id, EvalLoopServices services, CancellationToken ct) =>
        {
            var run = await services.Runs.GetRunAsync(id, ct);
            if (run is null)
            {
                return Results.NotFound(new { error = $"there is no run '{id}'" });
            }

            var summary = await services.Runs.SummarizeAsync(id, ct);
            var regression = RegressionDto.From(await services.Regressions.ListForRunAsync(id, ct));
            // The record a goal draft belongs to ran no experiment: no targets to meet.
            var evaluation = run.Mode == RunModes.GoalDraft ? null : ExperimentEvaluation.Evaluate(ExperimentSnapshot.Of(run), summary);
            IReadOnlyList<TargetDto> targets = evaluation?.Scorers.Select(s => new TargetDto(s.Figures.Scorer, s.Figures.PassRate, s.Target, s.Met)).ToList() ?? [];
            return Results.Ok(new RunDetailDto(RunDto.From(run, regression), summary, evaluation?.TargetsMet ?? false, targets, $"/runs/{Uri.EscapeDataString(id)}/report", regression));
        }).WithName("GetRun").WithSummary("A run with its summary, targets, regression (null unless flagged) and the address of its HTML report.");

        api.MapGet("/regressions", async (string? experiment, int? limit, EvalLoopServices services, CancellationToken ct) =>
        {
            // The limit counts runs, not rows: the store returns every scorer row of the newest `limit` flagged runs, newest run first.
            var rows = await services.Regressions.ListNewestRunsAsync(experiment, Math.Clamp(limit ?? 100, 1, 1000), ct);
            return Results.Ok(RegressionDto.Group(rows));
        }).WithName("ListRegressions").WithSummary("Runs flagged as regressions against their baseline, newest first, with the scorers that dropped.");

        api.MapGet("/suggestions", async (string? status, string? experiment, EvalLoopServices services, CancellationToken ct) =>
            status is not null && !SuggestionStatus.IsKnown(status)
                ? Results.BadRequest(new { error = $"status must be one of {string.Join(", ", SuggestionStatus.All)}" })
                : Results.Ok(await services.Suggestions.ListAsync(new SuggestionQuery { Status = status, ExperimentName = experiment }, ct)))
            .WithName("ListSuggestions").WithSummary("Suggestions, newest first; ?status=pending for the inbox.");

        api.MapGet("/suggestions/{id}", async (string id, EvalLoopServices services, CancellationToken ct) =>
            await services.Suggestions.GetAsync(id, ct) is { } suggestion ? Results.Ok(suggestion) : Results.NotFound(new { error = $"there is no suggestion '{id}'" }))
            .WithName("GetSuggestion").WithSummary("One suggestion with its change and evidence.");

        api.MapPost("/suggestions/{id}/approve", async (string id, DecisionRequest? body, SuggestionDecisions decisions, CancellationToken ct) =>
            ToResult(await decisions.ApproveAsync(id, Decider(body), body?.Reason, body?.Rerun ?? false, ct)))
            .WithName("ApproveSuggestion").WithSummary("Apply the change as a new version of its file; 409 if someone decided first or the change no longer applies to the file, 404 for an unknown id, 500 (problem details) for an error in the service. {\"rerun\": true} queues a run.");

        api.MapPost("/suggestions/{id}/reject", async (string id, DecisionRequest? body, SuggestionDecisions decisions, CancellationToken ct) =>
            ToResult(await decisions.RejectAsync(id, Decider(body), body?.Reason, ct)))
            .WithName("RejectSuggestion").WithSummary("Reject with a reason (required: 400 without one); the same change is not proposed again. 409 if someone decided first, 404 for an unknown id, 500 (problem details) for an error in the service.");

        api.MapGet("/schedules", async (ExperimentSchedules schedules, CancellationToken ct) => Results.Ok(await schedules.ListAsync(ct)))
            .WithName("ListSchedules").WithSummary("Every experiment's schedule: cron, state, next and previous fire times.");
        api.MapGet("/schedules/{name}/history", async (string name, int? limit, EvalLoopServices services, ExperimentSchedules schedules, CancellationToken ct) =>
        {
            var history = await services.JobHistory.ListAsync(name, Math.Clamp(limit ?? 20, 1, 500), ct);
            return history.Count == 0 && await schedules.GetAsync(name, ct) is null
                ? Results.NotFound(new { error = $"there is no experiment '{name}'" })
                : Results.Ok(history);
        }).WithName("ScheduleHistory").WithSummary("The experiment's last job executions, newest first: start, end, outcome (succeeded, failed, skipped, cancelled), run id and error.");
        api.MapPost("/schedules/{name}/pause", async (string name, ExperimentSchedules schedules, CancellationToken ct) =>
            await schedules.PauseAsync(name, ct) ? Results.Ok(await schedules.GetAsync(name, ct)) : Results.NotFound(new { error = $"'{name}' has no schedule" }))
            .WithName("PauseSchedule");
        api.MapPost("/schedules/{name}/resume", async (string name, ExperimentSchedules schedules, CancellationToken ct) =>
            await schedules.ResumeAsync(name, ct) ? Results.Ok(await schedules.GetAsync(name, ct)) : Results.NotFound(new { error = $"'{name}' has no schedule" }))
            .WithName("ResumeSchedule");
        api.MapPost("/schedules/{name}/trigger", async (string name, ExperimentSchedules schedules, CancellationToken ct) =>
            await schedules.TriggerAsync(name, ct) ? Results.Accepted((string?)null, new { experiment = name, queued = true }) : Results.NotFound(new { error = $"there is no experiment '{name}'" }))
            .WithName("TriggerSchedule");
        endpoints.MapEvalLoopInsightsApi();
        return endpoints;
    }

    private static string Decider(DecisionRequest? body) => string.IsNullOrWhiteSpace(body?.By) ? DefaultDecider : body.By.Trim();

    private static IResult ToResult(DecisionOutcome outcome) => outcome.Status switch
    {
        DecisionStatus.Applied => Results.Ok(new { suggestion = outcome.Suggestion, rerun_queued = outcome.RerunQueued }),
        DecisionStatus.NotFound => Results.NotFound(new { error = outcome.Error }),
        DecisionStatus.Invalid => Results.BadRequest(new { error = outcome.Error }),
        DecisionStatus.Conflict => Results.Conflict(new { error = outcome.Error, status = outcome.Suggestion?.Status, decided_by = outcome.Suggestion?.DecidedBy, decided_at = outcome.Suggestion?.DecidedAt }),
        // A failure was logged with its exception by SuggestionDecisions; the client gets problem details without it.
        _ => Results.Problem(title: "The decision could not be completed", detail: outcome.Error, statusCode: StatusCodes.Status500InternalServerError),
    };
}

/// <summary>The body of approve and reject: who decides (default <c>api</c>), why, and for an approval whether to re-run.</summary>
public sealed record DecisionRequest(string? Reason, string? By, bool? Rerun);

/// <summary>A run as the API lists it (without the experiment snapshot); <see cref="Regression"/> is null unless it is flagged.</summary>
public sealed record RunDto(string Id, string ExperimentName, string Status, string Mode, string PromptVersion, string DatasetName, string DatasetVersion, string? Split, string Provider, string Model, int PlannedResults, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double WallSeconds, string? Error, RegressionDto? Regression = null)
{
    public static RunDto From(RunRecord run, RegressionDto? regression = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.ExperimentName, run.Status, run.Mode, run.PromptVersion, run.DatasetName, run.DatasetVersion, run.Split, run.Provider, run.Model, run.PlannedResults, run.StartedAt, run.FinishedAt, run.WallSeconds, run.Error, regression);
    }
}

/// <summary>A run with its figures; <see cref="Regression"/> is null unless the run is flagged as a regression.</summary>
public sealed record RunDetailDto(RunDto Run, RunSummary Summary, bool TargetsMet, IReadOnlyList<TargetDto> Targets, string Report, RegressionDto? Regression);

/// <summary>A scorer's pass rate against its target.</summary>
public sealed record TargetDto(string Scorer, double PassRate, double? Target, bool? Met);
