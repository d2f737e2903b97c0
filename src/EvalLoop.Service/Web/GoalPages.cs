using System.Globalization;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Workspace;
using EvalLoop.Reporting.Charts;
using EvalLoop.Service.Api;
using EvalLoop.Service.Composition;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EvalLoop.Service.Web.HtmlPage;

namespace EvalLoop.Service.Web;

/// <summary>
/// The goals pages: <c>/goals</c> lists every goal with its status; <c>/goals/{name}</c> shows each requirement's
/// coverage, target, latest score, status (the baseline run when regressed) and a pass-rate trend per covering
/// experiment, drawn server-side as sanitized SVG (the report's chart code), so the page needs no script.
/// </summary>
public static class GoalPages
{
    public static IEndpointRouteBuilder MapGoalPages(this IEndpointRouteBuilder endpoints)
    {
        var ui = endpoints.MapGroup(string.Empty).ExcludeFromDescription();
        ui.MapGet("/goals", async (HttpContext http, IAntiforgery af, EvalLoopServices services) =>
        {
            var page = new HtmlPage(http, af, "Goals");
            var goals = await GoalOverview.ListAsync(services, http.RequestAborted);
            if (goals.Count == 0)
            {
                return page.Raw("<p>No goals yet: write one in <code>experiments/goals/NAME.yaml</code>, or draft one with <code>evalloop goal new NAME \"what good looks like\" --dataset D</code>.</p>").ToResult();
            }

            page.Raw("<table><tr><th>Goal</th><th>Status</th><th>Description</th><th>Requirements</th><th>Uncovered</th><th>Experiments</th></tr>");
            foreach (var g in goals)
            {
                var description = g.Description is null ? $"<span class=\"error\">{E(string.Join("; ", g.Problems))}</span>" : E(g.Description);
                page.Raw($"<tr><td><a href=\"/goals/{E(Uri.EscapeDataString(g.Name))}\">{E(g.Name)}</a></td><td>{Status(g.Status)}</td><td>{description}</td><td>{E(g.Requirements.Count, "D")}</td><td>{E(g.Requirements.Count(r => !r.Covered), "D")}</td><td>{ExperimentLinks(g.Experiments)}</td></tr>");
            }

            return page.Raw("</table>").ToResult();
        });

        ui.MapGet("/goals/{name}", async (string name, HttpContext http, IAntiforgery af, EvalLoopServices services) =>
        {
            GoalDto? goal;
            try
            {
                goal = GoalReference.IsValidName(name) ? await GoalOverview.GetAsync(services, name, http.RequestAborted) : null;
            }
            catch (WorkspaceFileException ex)
            {
                return new HtmlPage(http, af, "Goal " + name).Raw($"<p class=\"error\">{E(ex.Message)}</p>").ToResult(StatusCodes.Status422UnprocessableEntity);
            }

            if (goal is null)
            {
                return new HtmlPage(http, af, "Goal not found").Raw($"<p>There is no goal {E(name)} in experiments/goals/.</p>").ToResult(StatusCodes.Status404NotFound);
            }

            var page = new HtmlPage(http, af, "Goal " + goal.Name);
            page.Raw($"<p>{Status(goal.Status)} {E(goal.Description)}</p><p class=\"muted\">{E(goal.File)} · experiments: {ExperimentLinks(goal.Experiments)}</p>");
            foreach (var problem in goal.Problems)
            {
                page.Raw($"<p class=\"error\">{E(problem)}</p>");
            }

            WriteRequirements(page, goal);
            WriteTrends(page, goal);
            return page.ToResult();
        });

        return endpoints;
    }

    private static void WriteRequirements(HtmlPage page, GoalDto goal)
    {
        page.Raw("<h2>Requirements</h2><table id=\"requirements\"><tr><th>Requirement</th><th>Covered by</th><th>Target</th><th>Latest</th><th>Status</th><th>Baseline</th></tr>");
        foreach (var r in goal.Requirements)
        {
            var requirement = $"<strong>{E(r.Id)}</strong><br>{E(r.Text)}";
            var target = r.Target is { } t ? E(t, "P0") : "—";
            if (!r.Covered)
            {
                page.Raw($"<tr data-requirement=\"{E(r.Id)}\"><td>{requirement}</td><td class=\"muted\">nothing measures it</td><td>{target}</td><td>—</td><td>{Status(r.Status)}</td><td></td></tr>");
                continue;
            }

            for (var i = 0; i < r.Coverage.Count; i++)
            {
                var c = r.Coverage[i];
                var lead = i == 0 ? $"<td rowspan=\"{E(r.Coverage.Count, "D")}\">{requirement}</td>" : string.Empty;
                var latest = c.PassRate is { } rate
                    ? $"{E(rate, "P1")} of {E(c.Cases, "D")} in {RunLinkOrDash(c.LatestRun)}"
                    : c.Problem is null ? "<span class=\"muted\">not run yet</span>" : $"<span class=\"error\">{E(c.Problem)}</span>";
                var baseline = c.BaselineRun is null ? string.Empty : $"{RunLink(c.BaselineRun)} ({E(c.BaselinePassRate, "P1")}) <a href=\"/compare?a={E(Uri.EscapeDataString(c.BaselineRun))}&amp;b={E(Uri.EscapeDataString(c.LatestRun ?? string.Empty))}\">compare</a>";
                page.Raw($"<tr data-requirement=\"{E(r.Id)}\">{lead}<td>{E(c.Experiment)} · {E(c.Scorer)} · {E(SliceText(c.Slice))}</td><td>{target}</td><td>{latest}</td><td>{Status(c.Status)}</td><td>{baseline}</td></tr>");
            }
        }

        page.Raw("</table>");
    }

    /// <summary>One chart per requirement and covering experiment: each covering scorer's pass rate over the experiment's recent runs, the target as a line.</summary>
    private static void WriteTrends(HtmlPage page, GoalDto goal)
    {
        page.Raw("<h2>Trends</h2>");
        var charts = 0;
        foreach (var r in goal.Requirements.Where(r => r.Covered))
        {
            foreach (var group in r.Coverage.GroupBy(c => c.Experiment, StringComparer.Ordinal))
            {
                var series = new List<string>();
                var byRun = new Dictionary<string, (DateTimeOffset StartedAt, Dictionary<string, double> Rates)>(StringComparer.Ordinal);
                foreach (var c in group)
                {
                    var label = c.Slice is { Count: > 0 } ? $"{c.Scorer} [{SliceText(c.Slice)}]" : c.Scorer;
                    label = series.Contains(label, StringComparer.Ordinal) ? $"{label} #{series.Count + 1}" : label;
                    series.Add(label);
                    foreach (var point in c.Trend ?? [])
                    {
                        if (!byRun.TryGetValue(point.RunId, out var run))
                        {
                            run = (point.StartedAt, new Dictionary<string, double>(StringComparer.Ordinal));
                            byRun[point.RunId] = run;
                        }

                        if (point.PassRate is { } rate)
                        {
                            run.Rates[label] = rate;
                        }
                    }
                }

                var title = $"{r.Id} in {group.Key}";
                page.Raw($"<h3>{E(title)}</h3>");
                if (byRun.Count == 0)
                {
                    page.Raw($"<p class=\"muted\">{E(group.Key)} has no completed run yet.</p>");
                    continue;
                }

                var runs = byRun.OrderBy(kv => kv.Value.StartedAt).Select(kv => new PassRateTrendRun(kv.Key, kv.Value.StartedAt, kv.Value.Rates)).ToList();
                var targets = r.Target is { } target ? series.ToDictionary(s => s, _ => target, StringComparer.Ordinal) : new Dictionary<string, double>(StringComparer.Ordinal);
                try
                {
                    var chart = PassRateTrendChart.Render(title, runs, series, targets, string.Create(CultureInfo.InvariantCulture, $"goal-chart{++charts}-"));
                    // The SVG comes from the report's renderer through its allow-list sanitizer: drawing elements only, no script, no external reference.
                    page.Raw($"<figure class=\"trend\">{chart.Svg}<figcaption>Pass rate of each covering scorer {(runs.Count == 1 ? "in the only completed run" : $"over the last {E(runs.Count, "D")} completed runs")} of {E(group.Key)}, oldest first{(r.Target is null ? string.Empty : "; the horizontal line is the target")}.</figcaption></figure>");
                    if (!chart.HasText)
                    {
                        page.Raw($"<p class=\"error\">{E(PassRateTrendSvg.MissingFontsMessage)}</p>");
                    }
                }
                catch (System.Xml.XmlException ex)
                {
                    page.Raw($"<p class=\"error\">The trend chart could not be drawn: {E(ex.Message)}</p>");
                }
            }
        }

        if (goal.Requirements.All(r => !r.Covered))
        {
            page.Raw("<p class=\"muted\">No requirement is covered by a scorer, so there is nothing to chart.</p>");
        }
    }

    /// <summary>A status badge, styled per status (met, missed, regressed, uncovered, not-run, no-target, invalid).</summary>
    internal static string Status(string status) => $"<span class=\"status status-{E(status)}\">{E(status)}</span>";

    private static string SliceText(IReadOnlyDictionary<string, string>? slice) =>
        slice is { Count: > 0 } s ? string.Join(", ", s.Select(kv => $"{kv.Key}={kv.Value}")) : "all cases";

    private static string RunLinkOrDash(string? runId) => runId is null ? "—" : RunLink(runId);

    private static string ExperimentLinks(IReadOnlyList<string> experiments) =>
        experiments.Count == 0 ? "none" : string.Join(", ", experiments.Select(e => $"<a href=\"/runs?experiment={E(Uri.EscapeDataString(e))}\">{E(e)}</a>"));
}
