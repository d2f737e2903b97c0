using System.Globalization;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Service.Api;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Scheduling;
using EvalLoop.Service.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EvalLoop.Service.Web.HtmlPage;

namespace EvalLoop.Service.Web;

/// <summary>
/// The server-rendered web UI (no scripts): experiments and goals, runs with their HTML reports, the suggestions inbox
/// with approve and reject, and the schedules. Every form posts with an anti-forgery token and redirects back (POST,
/// redirect, GET).
/// </summary>
public static class UiEndpoints
{
    /// <summary>Who a decision is recorded as when the form names nobody.</summary>
    public const string DefaultDecider = "web";

    public static IEndpointRouteBuilder MapEvalLoopUi(this IEndpointRouteBuilder endpoints)
    {
        var ui = endpoints.MapGroup(string.Empty).ExcludeFromDescription();
        ui.MapGet("/", async (HttpContext http, IAntiforgery af, EvalLoopServices services, ExperimentSchedules schedules) =>
        {
            var page = new HtmlPage(http, af, "Experiments and goals");
            page.Raw("<p><a href=\"/goals\">Goals</a>: what good looks like, requirement by requirement, and where each stands.</p>");
            page.Raw("<table><tr><th>Experiment</th><th>Goal</th><th>Status</th><th>Scores (pass rate / target)</th><th>Latest run</th><th>Schedule</th></tr>");
            foreach (var e in await ExperimentStatus.ListAsync(services, schedules, http.RequestAborted))
            {
                var scores = string.Join("<br>", e.Scores.Select(s => $"{E(s.Scorer)}: {E(s.PassRate, "P1")}{(s.Target is { } t ? " / " + E(t, "P0") : string.Empty)}"));
                var run = e.LatestRunId is null ? "—" : RunLink(e.LatestRunId);
                page.Raw($"<tr><td>{E(e.Name)}</td><td>{GoalCell(e.Goal)}</td><td class=\"{(e.Status == "met" ? "met" : "missed")}\">{E(e.Status)}</td><td>{scores}</td><td>{run}</td><td>{E(e.Schedule ?? "on demand")}</td></tr>");
            }

            return page.Raw("</table>").ToResult();
        });

        ui.MapGet("/runs", async (HttpContext http, IAntiforgery af, EvalLoopServices services, string? experiment, bool? all) =>
        {
            var includeInternal = all ?? false;
            var page = new HtmlPage(http, af, experiment is null ? "Runs" : "Runs of " + experiment);
            var toggle = "/runs?" + (experiment is null ? string.Empty : "experiment=" + Uri.EscapeDataString(experiment) + "&") + (includeInternal ? "all=false" : "all=true");
            page.Raw(includeInternal
                ? $"<p>Showing every run, including internal ones (the suggester's analysis and verification runs, goal drafts' empty runs). <a href=\"{E(toggle)}\">Only users' runs</a></p>"
                : $"<p>Users' runs. <a href=\"{E(toggle)}\">Show internal runs too</a> (the suggester's analysis and verification runs, goal drafts' empty runs).</p>");
            page.Raw("<table><tr><th>Run</th><th>Experiment</th><th>Mode</th><th>Status</th><th>Model</th><th>Started</th><th>Seconds</th><th>Report</th></tr>");
            var runs = await services.Runs.ListRunsForUserAsync(experiment, includeInternal, 200, http.RequestAborted);
            var flagged = await RegressionDto.ForRunsAsync(services, runs, http.RequestAborted);
            foreach (var r in runs)
            {
                var id = E(Uri.EscapeDataString(r.Id));
                var regression = flagged.ContainsKey(r.Id) ? " <strong class=\"error\">regression</strong>" : string.Empty;
                page.Raw($"<tr><td><a href=\"/runs/{id}\">{E(r.Id)}</a></td><td>{E(r.ExperimentName)}</td><td>{E(r.Mode)}</td><td>{E(r.Status)}{regression}</td><td>{E(r.Provider)}/{E(r.Model)}</td><td>{E(r.StartedAt, "u")}</td><td>{E(r.WallSeconds, "F1")}</td><td><a href=\"/runs/{id}/report\">report</a></td></tr>");
            }

            return page.Raw("</table>").ToResult();
        });

        ui.MapGet("/runs/{id}", async (string id, HttpContext http, IAntiforgery af, EvalLoopServices services) =>
        {
            var run = await services.Runs.GetRunAsync(id, http.RequestAborted);
            if (run is null)
            {
                return new HtmlPage(http, af, "Run not found").Raw($"<p>There is no run {E(id)}.</p>").ToResult(StatusCodes.Status404NotFound);
            }

            var summary = await services.Runs.SummarizeAsync(id, http.RequestAborted);
            var page = new HtmlPage(http, af, "Run " + run.Id);
            page.Raw($"<p>{E(run.ExperimentName)} · {E(run.Status)} · {E(run.Provider)}/{E(run.Model)} · prompt {E(run.PromptVersion)} · dataset {E(run.DatasetName)}@{E(run.DatasetVersion)}</p>");
            page.Raw($"<p>{E(summary.Results, "D")} results: {E(summary.Passed, "D")} passed, {E(summary.Failed, "D")} failed, {E(summary.Errored, "D")} errored. <a href=\"/runs/{E(Uri.EscapeDataString(run.Id))}/report\">Open the HTML report</a></p>");
            if (run.Error is not null)
            {
                page.Raw($"<p class=\"error\">{E(run.Error)}</p>");
            }

            if (RegressionDto.From(await services.Regressions.ListForRunAsync(run.Id, http.RequestAborted)) is { } regression)
            {
                var drops = string.Join("; ", regression.Scorers.Select(d => $"{E(d.Scorer)}: {E(d.BaselinePassRate, "P1")} → {E(d.PassRate, "P1")} (p = {E(d.PValue, "G3")})"));
                page.Raw($"<p class=\"error\"><strong>Regression</strong> against baseline {RunLink(regression.BaselineRunId)}: {drops}</p>");
            }

            page.Raw("<table><tr><th>Scorer</th><th>Mean</th><th>Pass rate</th></tr>");
            foreach (var s in summary.Scorers)
            {
                page.Raw($"<tr><td>{E(s.Scorer)}</td><td>{E(s.Mean, "F3")}</td><td>{E(s.PassRate, "P1")}</td></tr>");
            }

            page.Raw("</table><h2>Suggestions from this run</h2><ul>");
            foreach (var s in await services.Suggestions.ListAsync(new SuggestionQuery { RunId = run.Id }, http.RequestAborted))
            {
                page.Raw($"<li><a href=\"/suggestions/{E(Uri.EscapeDataString(s.Id))}\">{E(s.Title)}</a> ({E(s.Status)})</li>");
            }

            page.Raw("</ul>").Raw(await RunPages.RunLinksAsync(services, run, http.RequestAborted));
            return page.ToResult();
        });

        ui.MapGet("/runs/{id}/report", async (string id, HttpContext http, EvalLoopServices services) =>
        {
            if (await services.Runs.GetRunAsync(id, http.RequestAborted) is null)
            {
                return Results.NotFound();
            }

            // The report is self-contained and carries its own Content-Security-Policy; it is rendered fresh so it shows the latest clusters and suggestions.
            var buffer = new MemoryStream();
            await services.Reports.WriteRunReportAsync(id, buffer, http.RequestAborted);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(buffer.ToArray(), "text/html; charset=utf-8");
        });

        ui.MapGet("/suggestions", (HttpContext http, IAntiforgery af, EvalLoopServices services, string? status) =>
            SuggestionPages.InboxAsync(http, af, services, status));

        ui.MapGet("/suggestions/{id}", (string id, HttpContext http, IAntiforgery af, EvalLoopServices services, ExperimentSchedules schedules, string? done, string? error) =>
            SuggestionPages.DetailAsync(id, http, af, services, schedules, done, error));

        ui.MapPost("/suggestions/{id}/approve", async (string id, HttpContext http, IAntiforgery af, SuggestionDecisions decisions) =>
        {
            if (await ReadValidFormAsync(http, af) is not { } form)
            {
                return Forbidden(http, af);
            }

            var outcome = await decisions.ApproveAsync(id, Field(form, "by") ?? DefaultDecider, Field(form, "reason"), Field(form, "rerun") == "true", http.RequestAborted);
            return SuggestionPages.AfterDecision(http, af, id, outcome);
        }).DisableAntiforgery();

        ui.MapPost("/suggestions/{id}/reject", async (string id, HttpContext http, IAntiforgery af, SuggestionDecisions decisions) =>
        {
            if (await ReadValidFormAsync(http, af) is not { } form)
            {
                return Forbidden(http, af);
            }

            return SuggestionPages.AfterDecision(http, af, id, await decisions.RejectAsync(id, Field(form, "by") ?? DefaultDecider, Field(form, "reason"), http.RequestAborted));
        }).DisableAntiforgery();

        ui.MapGet("/schedules", async (HttpContext http, IAntiforgery af, ExperimentSchedules schedules, EvalLoopServices services) =>
        {
            var page = new HtmlPage(http, af, "Schedules");
            page.Raw("<p>A missed fire time (the host was down) runs once when the host is back. A trigger that fires while its experiment runs waits for that run, or is skipped (on overlap: skip). Edits to experiments/ apply within a second.</p>");
            page.Raw("<table><tr><th>Experiment</th><th>Cron</th><th>State</th><th>On overlap</th><th>Next</th><th>Previous</th><th>Last runs</th><th></th></tr>");
            foreach (var s in await schedules.ListAsync(http.RequestAborted))
            {
                var path = "/schedules/" + Uri.EscapeDataString(s.Experiment);
                var history = string.Join("<br>", (await services.JobHistory.ListAsync(s.Experiment, 5, http.RequestAborted)).Select(h =>
                    $"<span class=\"{(h.Outcome == "succeeded" ? "met" : "missed")}\">{E(h.Outcome)}</span> {E(h.StartedAt, "u")} ({E(h.Trigger)})"
                    + (h.RunId is null ? string.Empty : $" {RunLink(h.RunId)}")
                    + (h.Error is null ? string.Empty : $" <span class=\"error\">{E(h.Error)}</span>")));
                page.Raw($"<tr><td>{E(s.Experiment)}</td><td>{E(s.Cron ?? "on demand")}</td><td>{E(s.State)}</td><td>{E(s.OnOverlap)}</td><td>{E(s.NextFireTime, "u")}</td><td>{E(s.PreviousFireTime, "u")}</td><td>{(history.Length == 0 ? "—" : history)}</td><td>");
                page.Form(path + "/trigger", "Run now");
                if (s.Cron is not null)
                {
                    page.Form(path + (s.State == "Paused" ? "/resume" : "/pause"), s.State == "Paused" ? "Resume" : "Pause");
                }

                page.Raw("</td></tr>");
            }

            page.Raw("</table>");
            foreach (var (file, error) in schedules.SyncErrors)
            {
                page.Raw($"<p class=\"error\">{E(file)}: {E(error)}</p>");
            }

            return page.ToResult();
        });

        ui.MapPost("/schedules/{name}/{action:regex(^(pause|resume|trigger)$)}", async (string name, string action, HttpContext http, IAntiforgery af, ExperimentSchedules schedules) =>
        {
            if (await ReadValidFormAsync(http, af) is null)
            {
                return Forbidden(http, af);
            }

            var done = action switch
            {
                "pause" => await schedules.PauseAsync(name, http.RequestAborted),
                "resume" => await schedules.ResumeAsync(name, http.RequestAborted),
                _ => await schedules.TriggerAsync(name, http.RequestAborted),
            };
            return done ? Results.Redirect("/schedules") : Results.NotFound();
        }).DisableAntiforgery();

        ui.MapGet("/login", (HttpContext http, IAntiforgery af, TokenAuthentication auth) =>
            auth.Enabled
                ? new HtmlPage(http, af, "Sign in").Form("/login", "Sign in", "<label>token <input type=\"password\" name=\"token\" autocomplete=\"current-password\"></label> ").ToResult()
                : Results.Redirect("/"));

        ui.MapPost("/login", async (HttpContext http, IAntiforgery af, TokenAuthentication auth) =>
        {
            if (!auth.Enabled)
            {
                return Results.Redirect("/");
            }

            if (await ReadValidFormAsync(http, af) is not { } form || !auth.IsToken(Field(form, "token")))
            {
                return new HtmlPage(http, af, "Sign in").Raw("<p class=\"error\">That is not the token.</p>").Form("/login", "Sign in", "<label>token <input type=\"password\" name=\"token\"></label> ").ToResult(StatusCodes.Status401Unauthorized);
            }

            http.Response.Cookies.Append(TokenAuthentication.CookieName, auth.SessionValue, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/" });
            return Results.Redirect("/");
        }).DisableAntiforgery();

        endpoints.MapGoalPages();
        endpoints.MapRunPages();
        return endpoints;
    }

    /// <summary>An experiment's goal: a link to its page when it names a goal file, else the free text.</summary>
    private static string GoalCell(string? goal) =>
        Core.Goals.GoalReference.GoalName(goal) is { } name ? $"<a href=\"/goals/{E(Uri.EscapeDataString(name))}\">{E(name)}</a>" : E(goal);


    private static async Task<IFormCollection?> ReadValidFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return null;
        }

        return await http.Request.ReadFormAsync(http.RequestAborted);
    }

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value.ToString()) ? value.ToString().Trim() : null;

    private static IResult Forbidden(HttpContext http, IAntiforgery af) =>
        new HtmlPage(http, af, "Refused").Raw("<p class=\"error\">The form's anti-forgery token is missing or invalid; reload the page and try again.</p>").ToResult(StatusCodes.Status400BadRequest);
}
