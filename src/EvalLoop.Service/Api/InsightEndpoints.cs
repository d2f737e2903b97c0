using EvalLoop.Core.Goals;
using EvalLoop.Core.Workspace;
using EvalLoop.Service.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvalLoop.Service.Api;

/// <summary>The read-only API over goals and failure clusters: <c>/api/goals</c> and <c>/api/runs/{id}/clusters</c>.</summary>
public static class InsightEndpoints
{
    public static IEndpointRouteBuilder MapEvalLoopInsightsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("EvalLoop");

        api.MapGet("/goals", async (EvalLoopServices services, CancellationToken ct) => Results.Ok(await GoalOverview.ListAsync(services, ct)))
            .WithName("ListGoals").WithSummary("Every goal in experiments/goals/ with each requirement's status (met, missed, regressed, not-run, uncovered, no-target).");

        api.MapGet("/goals/{name}", async (string name, EvalLoopServices services, CancellationToken ct) =>
        {
            if (!GoalReference.IsValidName(name))
            {
                return Results.NotFound(new { error = $"there is no goal '{name}'" });
            }

            try
            {
                return await GoalOverview.GetAsync(services, name, ct) is { } goal
                    ? Results.Ok(goal)
                    : Results.NotFound(new { error = $"there is no goal '{name}' in experiments/goals/" });
            }
            catch (WorkspaceFileException ex)
            {
                return Results.UnprocessableEntity(new { error = ex.Message });
            }
        }).WithName("GetGoal").WithSummary("A goal: each requirement's coverage, latest pass rate against its target, status, baseline when regressed, and the pass rate over recent runs.");

        api.MapGet("/runs/{id}/clusters", async (string id, EvalLoopServices services, CancellationToken ct) =>
            await services.Runs.GetRunAsync(id, ct) is not { } run
                ? Results.NotFound(new { error = $"there is no run '{id}'" })
                : Results.Ok(await RunClusters.ReadAsync(services, run, ct)))
            .WithName("GetRunClusters").WithSummary("The run's failure clusters as the analyzer stored them, with representative cases; analyzed is false before an analysis.");
        return endpoints;
    }
}
