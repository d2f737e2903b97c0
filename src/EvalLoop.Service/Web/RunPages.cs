using EvalLoop.Core.Runs;
using EvalLoop.Reporting.Runs;
using EvalLoop.Service.Api;
using EvalLoop.Service.Composition;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EvalLoop.Service.Web.HtmlPage;

namespace EvalLoop.Service.Web;

/// <summary>
/// Pages about runs beyond the run page itself: a run's failure clusters (<c>/runs/{id}/clusters</c>) and the diff
/// report of two runs (<c>/compare?a=RUN&amp;b=RUN</c>), with the forms that lead there.
/// </summary>
public static class RunPages
{
    /// <summary>How many runs the pickers offer.</summary>
    private const int PickerRuns = 100;

    public static IEndpointRouteBuilder MapRunPages(this IEndpointRouteBuilder endpoints)
    {
        var ui = endpoints.MapGroup(string.Empty).ExcludeFromDescription();
        ui.MapGet("/runs/{id}/clusters", async (string id, HttpContext http, IAntiforgery af, EvalLoopServices services) =>
        {
            var run = await services.Runs.GetRunAsync(id, http.RequestAborted);
            if (run is null)
            {
                return new HtmlPage(http, af, "Run not found").Raw($"<p>There is no run {E(id)}.</p>").ToResult(StatusCodes.Status404NotFound);
            }

            var page = new HtmlPage(http, af, "Failure clusters of " + run.Id);
            page.Raw($"<p>{RunLink(run.Id)} · {E(run.ExperimentName)}</p>");
            WriteClusters(page, await RunClusters.ReadAsync(services, run, http.RequestAborted));
            return page.ToResult();
        });

        ui.MapGet("/compare", async (HttpContext http, IAntiforgery af, EvalLoopServices services, string? a, string? b) =>
        {
            if (string.IsNullOrWhiteSpace(a) || string.IsNullOrWhiteSpace(b))
            {
                var picker = new HtmlPage(http, af, "Compare two runs");
                picker.Raw("<p>The diff report of run B against baseline run A: fixed and broken cases, score deltas with paired tests, changed outputs side by side, and the prompt diff.</p>");
                var runs = await services.Runs.ListRunsAsync(null, RunModes.Full, PickerRuns, http.RequestAborted);
                return picker.Raw(CompareForm(runs, a, b)).ToResult();
            }

            foreach (var id in new[] { a, b })
            {
                if (await services.Runs.GetRunAsync(id, http.RequestAborted) is null)
                {
                    return new HtmlPage(http, af, "Run not found").Raw($"<p>There is no run {E(id)}.</p>").ToResult(StatusCodes.Status404NotFound);
                }
            }

            // Like /runs/{id}/report: the diff report is self-contained and carries its own Content-Security-Policy.
            var buffer = new MemoryStream();
            await services.Reports.WriteComparisonReportAsync(a, b, buffer, http.RequestAborted);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(buffer.ToArray(), "text/html; charset=utf-8");
        });

        return endpoints;
    }

    /// <summary>
    /// The links under a run's page: its failure clusters and a form that compares it (as B) with an earlier run of the
    /// same experiment (as A, the baseline).
    /// </summary>
    public static async Task<string> RunLinksAsync(EvalLoopServices services, RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(run);
        var id = E(Uri.EscapeDataString(run.Id));
        var others = (await services.Runs.ListRunsAsync(run.ExperimentName, RunModes.Full, PickerRuns, cancellationToken)).Where(r => r.Id != run.Id).ToList();
        var html = $"<h2>Failure clusters</h2><p><a href=\"/runs/{id}/clusters\">The failure clusters of this run</a></p><h2>Compare</h2>";
        if (others.Count == 0)
        {
            return html + "<p class=\"muted\">This is the experiment's only run; once it has another, compare them here.</p>";
        }

        var options = string.Concat(others.Select(r => $"<option value=\"{E(r.Id)}\">{E(r.Id)} ({E(r.Status)})</option>"));
        return html + $"<form method=\"get\" action=\"/compare\" id=\"compare-form\"><label>baseline (A) <select name=\"a\">{options}</select></label> <input type=\"hidden\" name=\"b\" value=\"{E(run.Id)}\"><button type=\"submit\">Compare with this run (B)</button></form>";
    }

    private static string CompareForm(IReadOnlyList<RunRecord> runs, string? a, string? b)
    {
        if (runs.Count == 0)
        {
            return "<p class=\"muted\">There are no runs yet.</p>";
        }

        string Options(string? selected) => string.Concat(runs.Select(r => $"<option value=\"{E(r.Id)}\"{(r.Id == selected ? " selected" : string.Empty)}>{E(r.Id)} · {E(r.ExperimentName)} ({E(r.Status)})</option>"));
        return $"<form method=\"get\" action=\"/compare\" id=\"compare-form\"><label>baseline (A) <select name=\"a\">{Options(a ?? (runs.Count > 1 ? runs[1].Id : null))}</select></label> <label>candidate (B) <select name=\"b\">{Options(b ?? runs[0].Id)}</select></label> <button type=\"submit\">Compare</button></form>";
    }

    private static void WriteClusters(HtmlPage page, RunClusters clusters)
    {
        if (!clusters.Analyzed)
        {
            page.Raw("<p class=\"muted\" id=\"no-clusters\">This run has not been analysed; <code>evalloop analyze RUN_ID</code> (or <code>analyze: true</code> in the experiment) clusters its failures.</p>");
            return;
        }

        page.Raw($"<p>{E(clusters.Failures, "D")} failing results in {E(clusters.Clusters.Count, "D")} clusters · analysed {E(clusters.AnalyzedAt, "u")} by {E(clusters.AnalyzerVersion)}</p>");
        page.Raw("<table id=\"clusters\"><tr><th>Cluster</th><th>Kind</th><th>Size</th><th>Share</th></tr>");
        foreach (var c in clusters.Clusters)
        {
            page.Raw($"<tr><td><a href=\"#cluster-{E(c.Index, "D")}\">{E(c.Name)}</a></td><td>{E(c.Kind)}</td><td>{E(c.Size, "D")}</td><td>{E(c.Share, "P0")}</td></tr>");
        }

        page.Raw("</table>");
        foreach (var view in clusters.Views)
        {
            var c = view.Cluster;
            page.Raw($"<section class=\"cluster\" id=\"cluster-{E(c.Index, "D")}\"><h2>{E(c.Name)}</h2><p>{E(c.Kind)} · {E(c.Size, "D")} results ({E(c.Share, "P0")} of failures) · named by {E(c.NamedBy)}</p><p>{E(c.Description)}</p>");
            if (c.TopTerms.Count > 0)
            {
                page.Raw($"<p class=\"muted\">Distinctive terms: {E(string.Join(", ", c.TopTerms.Take(12)))}</p>");
            }

            if (c.ConfusionPairs.Count > 0)
            {
                page.Raw($"<p>Confusions: {string.Join("; ", c.ConfusionPairs.Take(6).Select(p => $"<code>{E(p.Expected)}</code> → <code>{E(p.Output)}</code> × {E(p.Count, "D")}"))}</p>");
            }

            page.Raw("<table class=\"representatives\"><tr><th>Case</th><th>Input</th><th>Expected</th><th>Output</th></tr>");
            foreach (var r in view.Representatives)
            {
                page.Raw($"<tr><td>{E(r.CaseId)}{(r.Trial > 1 ? " #" + E(r.Trial, "D") : string.Empty)}</td><td><pre>{E(ClusterRepresentative.Cell(r.Input))}</pre></td><td><pre>{E(ClusterRepresentative.Cell(r.Expected))}</pre></td><td><pre>{E(ClusterRepresentative.Cell(r.Output))}</pre></td></tr>");
            }

            page.Raw("</table></section>");
        }
    }
}
