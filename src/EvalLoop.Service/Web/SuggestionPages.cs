using System.Globalization;
using System.Text;
using EvalLoop.Core.Suggestions;
using EvalLoop.Service.Api;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Scheduling;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Goals;
using EvalLoop.Suggestions.Presentation;
using EvalLoop.Suggestions.Verification;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using static EvalLoop.Service.Web.HtmlPage;

namespace EvalLoop.Service.Web;

/// <summary>
/// The suggestions inbox and one suggestion's page: the measured effect of each, and per kind the change (a prompt's
/// diff, a dataset's row operations, a scorer's options, a goal draft's files) with its evidence. Everything shown
/// comes from the stored suggestion, its runs and the job history; a redirect after a decision carries only a short
/// code (<see cref="Notices"/>), never text to print. A change or evidence this page cannot read is shown as stored.
/// </summary>
public static class SuggestionPages
{
    /// <summary>The texts a page may show after a decision, by the code in its <c>done</c> or <c>error</c> parameter.</summary>
    private static readonly Dictionary<string, (string Class, string Text)> Notices = new(StringComparer.Ordinal)
    {
        ["approved"] = ("met", "Approved."),
        ["rejected"] = ("met", "Rejected."),
        ["reason"] = ("error", "Not rejected: a rejection needs a reason."),
        ["decided"] = ("error", "Not applied: someone else decided first."),
        ["superseded"] = ("error", "Not applied: it was superseded (its file changed since it was made; a newer suggestion proposes the change on the current file)."),
        ["not-applied"] = ("error", "Not applied, nothing was written: the file it changes was edited since it was made, or the edited file would not load. Make a new suggestion from a fresh run, or reject this one."),
    };

    /// <summary>The inbox: suggestions of one status with their measured effect.</summary>
    public static async Task<IResult> InboxAsync(HttpContext http, IAntiforgery af, EvalLoopServices services, string? status)
    {
        status = SuggestionStatus.IsKnown(status) ? status : SuggestionStatus.Pending;
        var page = new HtmlPage(http, af, "Suggestions: " + status);
        page.Raw("<p>" + string.Join(" · ", SuggestionStatus.All.Select(s => $"<a href=\"/suggestions?status={E(s)}\">{E(s)}</a>")) + "</p>");
        page.Raw("<table id=\"inbox\"><tr><th>Suggestion</th><th>Experiment</th><th>Kind</th><th>Measured effect</th><th>Run</th><th>Created</th></tr>");
        foreach (var s in await services.Suggestions.ListAsync(new SuggestionQuery { Status = status }, http.RequestAborted))
        {
            page.Raw($"<tr><td><a href=\"/suggestions/{E(Uri.EscapeDataString(s.Id))}\">{E(s.Title)}</a><br><span class=\"muted\">{E(s.Id)}</span></td><td>{E(s.ExperimentName)}</td><td>{E(s.Kind)}</td><td class=\"{EffectClass(SuggestionText.Verdict(s))}\">{E(SuggestionText.Effect(s))}</td><td>{RunLink(s.RunId)}</td><td>{E(s.CreatedAt, "u")}</td></tr>");
        }

        return page.Raw("</table>").ToResult();
    }

    /// <summary>One suggestion: decision, re-run after approval, summary, the change and its evidence, and the decision forms.</summary>
    public static async Task<IResult> DetailAsync(string id, HttpContext http, IAntiforgery af, EvalLoopServices services, ExperimentSchedules schedules, string? done, string? error)
    {
        var s = await services.Suggestions.GetAsync(id, http.RequestAborted);
        if (s is null)
        {
            return new HtmlPage(http, af, "Suggestion not found").Raw($"<p>There is no suggestion {E(id)}.</p>").ToResult(StatusCodes.Status404NotFound);
        }

        var page = new HtmlPage(http, af, s.Title);
        foreach (var code in new[] { done, error })
        {
            if (code is not null && Notices.TryGetValue(code, out var notice))
            {
                page.Raw($"<p class=\"notice {notice.Class}\">{E(notice.Text)}{(code == "decided" && s.DecidedBy is not null ? $" It was {E(s.Status)} by {E(s.DecidedBy)} at {E(s.DecidedAt, "u")}." : string.Empty)}</p>");
            }
        }

        page.Raw($"<p id=\"decision\">{E(s.Kind)} suggestion for {E(s.ExperimentName)} from run {RunLink(s.RunId)} · status <strong>{E(s.Status)}</strong>");
        if (s.DecidedAt is not null)
        {
            // A superseded suggestion has a time and a reason (the file that changed) but nobody who decided it.
            page.Raw($"{(s.DecidedBy is null ? string.Empty : " by " + E(s.DecidedBy))} at {E(s.DecidedAt, "u")}{(s.DecisionReason is null ? string.Empty : ": " + E(s.DecisionReason))}");
        }

        if (s.ResultingVersion is not null)
        {
            page.Raw($" · new version {E(s.ResultingVersion)} (<a href=\"/runs?experiment={E(Uri.EscapeDataString(s.ExperimentName))}\">its runs</a>)");
        }

        page.Raw("</p>");
        if (s.Status == SuggestionStatus.Approved && s.DecidedAt is { } decidedAt)
        {
            page.Raw(await RerunsAsync(s, decidedAt, services, schedules, http.RequestAborted));
        }

        if (s.Status == SuggestionStatus.Pending && await SuggestionBase.FirstChangedFileAsync(s, services.Layout, http.RequestAborted) is { } changed)
        {
            // Said before the reviewer tries: an approval would be refused, since it would overwrite that change.
            page.Raw($"<p id=\"stale\" class=\"notice error\">{E(changed)} changed since this suggestion was made, so approving it would be refused (it would overwrite that change). Run the experiment and suggest again (evalloop suggest RUN_ID): that marks this one superseded and proposes the change afresh on the current file when it still helps. Or reject it.</p>");
        }

        page.Raw($"<h2>Summary</h2><pre>{E(s.Summary)}</pre><p>Measured effect: <span class=\"{EffectClass(SuggestionText.Verdict(s))}\">{E(SuggestionText.Effect(s))}</span></p>");
        page.Raw(Body(s));
        page.Raw($"<details class=\"raw\"><summary>Stored change and evidence (JSON)</summary><h3>Change</h3><pre>{E(s.ChangeJson)}</pre><h3>Evidence</h3><pre>{E(s.EvidenceJson ?? "not verified yet")}</pre></details>");
        if (s.Status == SuggestionStatus.Pending)
        {
            var path = "/suggestions/" + Uri.EscapeDataString(s.Id);
            page.Form(path + "/approve", "Approve", "<label>by <input name=\"by\" value=\"web\"></label> <label><input type=\"checkbox\" name=\"rerun\" value=\"true\" checked> re-run</label> ");
            page.Form(path + "/reject", "Reject", "<label>reason <input name=\"reason\" required></label> <label>by <input name=\"by\" value=\"web\"></label> ");
        }

        return page.ToResult();
    }

    /// <summary>Where a decision leads: back to the suggestion, with a code for the fixed text to show (the rest is read from data).</summary>
    public static IResult AfterDecision(HttpContext http, IAntiforgery antiforgery, string id, DecisionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var path = "/suggestions/" + Uri.EscapeDataString(id);
        return outcome.Status switch
        {
            DecisionStatus.Applied => Results.Redirect(path + "?done=" + (outcome.Suggestion?.Status == SuggestionStatus.Rejected ? "rejected" : "approved")),
            DecisionStatus.NotFound => Results.NotFound(),
            DecisionStatus.Invalid => ReasonMissing(id),
            DecisionStatus.Conflict => Results.Redirect(path + "?error=" + (outcome.Suggestion?.Status switch
            {
                SuggestionStatus.Superseded => "superseded",
                null or SuggestionStatus.Pending => "not-applied",
                _ => "decided",
            })),
            // A failure in the service (logged by SuggestionDecisions): an error page that says no more than that.
            _ => new HtmlPage(http, antiforgery, "Not decided").Raw($"<p class=\"error\">{E(outcome.Error)}</p><p><a href=\"{E(path)}\">Back to the suggestion</a></p>").ToResult(StatusCodes.Status500InternalServerError),
        };
    }

    /// <summary>Where a rejection without a reason leads.</summary>
    private static IResult ReasonMissing(string id) => Results.Redirect($"/suggestions/{Uri.EscapeDataString(id)}?error=reason");

    /// <summary>
    /// What the approval set going: per experiment it re-runs, a run still queued in the scheduler, the runs started since
    /// the decision (with their status and prompt version), and job executions since then that made no run (failed, skipped).
    /// </summary>
    private static async Task<string> RerunsAsync(Suggestion s, DateTimeOffset decidedAt, EvalLoopServices services, ExperimentSchedules schedules, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> experiments = s.Kind == SuggestionKinds.Goal
            ? SuggestionJson.TryDeserialize<GoalDraft>(s.ChangeJson) is { } draft ? SuggestionText.DraftedExperiments(draft) : []
            : [s.ExperimentName];
        var html = new StringBuilder("<section id=\"rerun\"><h2>Since the approval</h2><ul>");
        foreach (var experiment in experiments)
        {
            var activity = await schedules.ActivityAsync(experiment, cancellationToken);
            var runs = (await services.Runs.ListRunsAsync(experiment, Core.Runs.RunModes.Full, 20, cancellationToken)).Where(r => r.StartedAt >= decidedAt).OrderBy(r => r.StartedAt).ToList();
            var jobs = (await services.JobHistory.ListAsync(experiment, 20, cancellationToken)).Where(j => j.StartedAt >= decidedAt && j.RunId is null).ToList();
            if (activity.Queued > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li class=\"rerun-queued\">a re-run of {E(experiment)} is <strong>queued</strong></li>");
            }

            foreach (var r in runs)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li class=\"rerun\">re-run of {E(experiment)}: run {RunLink(r.Id)} <strong>{E(r.Status)}</strong> · prompt {E(r.PromptVersion)} · started {E(r.StartedAt, "u")}</li>");
            }

            foreach (var j in jobs)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li class=\"missed\">job of {E(experiment)} {E(j.Outcome)} at {E(j.StartedAt, "u")}{(j.Error is null ? string.Empty : ": " + E(j.Error))}</li>");
            }

            if (activity.Queued == 0 && runs.Count == 0 && jobs.Count == 0)
            {
                html.Append(activity.Running
                    ? $"<li class=\"rerun-queued\">a job of {E(experiment)} is <strong>running</strong> (the re-run, or one the re-run waits for)</li>"
                    : $"<li class=\"muted\">no run of {E(experiment)} since the approval (<a href=\"/schedules\">run it now</a>)</li>");
            }
        }

        return html.Append("</ul></section>").ToString();
    }

    /// <summary>The kind-specific part; a change or evidence that cannot be read is shown as stored, never as an error page.</summary>
    private static string Body(Suggestion s)
    {
        var html = new StringBuilder();
        try
        {
            Action<StringBuilder, Suggestion>? render = s.Kind switch
            {
                SuggestionKinds.Prompt => Prompt,
                SuggestionKinds.Dataset => Dataset,
                SuggestionKinds.Scorer => Scorer,
                SuggestionKinds.Goal => Goal,
                _ => null,
            };
            if (render is null)
            {
                return Unreadable(s, $"This page does not know {s.Kind} suggestions");
            }

            render(html, s);
            return html.ToString();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NullReferenceException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // Written by another version or tool: the reviewer still sees what is stored.
            return Unreadable(s, $"This {s.Kind} suggestion's change or evidence could not be read ({ex.GetType().Name})");
        }
    }

    private static string Unreadable(Suggestion s, string why) =>
        $"<p class=\"error\">{E(why)}; it is shown as stored.</p><h2>Change</h2><pre>{E(s.ChangeJson)}</pre><h2>Evidence</h2><pre>{E(s.EvidenceJson ?? "not verified yet")}</pre>";

    private static void Prompt(StringBuilder html, Suggestion s)
    {
        var change = SuggestionJson.Deserialize<PromptChange>(s.ChangeJson);
        var diff = SuggestionText.PromptDiff(change).TrimEnd('\n').Split('\n');
        var added = diff.Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal));
        var removed = diff.Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal));
        html.Append(CultureInfo.InvariantCulture, $"<h2>Diff</h2><p class=\"muted\">strategy {E(change.Strategy)}; {E(added, "D")} line(s) added, {E(removed, "D")} removed; prompt version {E(change.BasePromptVersion)} → {E(change.ProposedPromptVersion)}</p><pre class=\"diff\">");
        foreach (var line in diff)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"{DiffClass(line)}\">{E(line)}</span>");
        }

        html.Append("</pre>");
        if (SuggestionJson.TryDeserialize<PromptEvidence>(s.EvidenceJson) is not { } e)
        {
            html.Append(s.EvidenceJson is null ? "<p class=\"muted\">Not verified yet.</p>" : "<p class=\"error\">The evidence could not be read; see the stored JSON below.</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(SuggestionText.ProvenanceLine(change.Provenance, []))}</p>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Evidence</h2><p>A real run of the proposed prompt on {E(e.VerificationSet)}, compared with the current prompt on the same cases.</p>");
        html.Append("<table id=\"evidence\"><tr><th></th><th>current</th><th>proposed</th><th>delta</th></tr>");
        foreach (var row in SuggestionText.EvidenceRows(e))
        {
            html.Append("<tr>" + string.Concat(row.Select(c => $"<td>{E(c)}</td>")) + "</tr>");
        }

        html.Append("</table>");
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"mcnemar\" class=\"{EffectClass(e.Verdict)}\">{E(SuggestionText.McNemarLine(e))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>fixed ({E(e.FixedCaseIds.Count, "D")}): <span class=\"fixed-cases\">{E(string.Join(", ", e.FixedCaseIds))}</span></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>broken ({E(e.BrokenCaseIds.Count, "D")}): <span class=\"broken-cases\">{E(string.Join(", ", e.BrokenCaseIds))}</span></p>");
        if (e.Clusters.Count > 0)
        {
            html.Append("<h3>Per failure pattern (its slice of the verification cases)</h3><table id=\"clusters\"><tr><th>pattern</th><th>slice</th><th>cases</th><th>current</th><th>proposed</th><th>delta</th></tr>");
            foreach (var c in e.Clusters)
            {
                var delta = E(SuggestionText.Points(c.Delta)) + (c.Regressed ? " <strong>REGRESSED</strong>" : string.Empty);
                html.Append(CultureInfo.InvariantCulture, $"<tr{(c.Regressed ? " class=\"regressed\"" : string.Empty)}><td>{E(c.Name)}</td><td>{E(c.Slice)}</td><td>{E(c.Cases, "D")}</td><td>{E(SuggestionText.Percent(c.Baseline))}</td><td>{E(SuggestionText.Percent(c.Candidate))}</td><td>{delta}</td></tr>");
            }

            html.Append("</table>");
        }

        foreach (var regression in e.Regressions)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"error\">regression: {E(regression)}</p>");
        }

        if (e.Alternatives.Count > 0)
        {
            html.Append("<h3>Other candidates verified (not kept)</h3><ul>" + string.Concat(e.Alternatives.Select(a => $"<li>{E(SuggestionText.Alternative(a))}</li>")) + "</ul>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{E(SuggestionText.ProvenanceLine(change.Provenance, e.ExcludedByFirewall))}</p>");
        Notes(html, e.Notes);
        var compare = $"/compare?a={Uri.EscapeDataString(e.BaselineRunId)}&b={Uri.EscapeDataString(e.CandidateRunId)}";
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"runs\">Runs: baseline {RunLink(e.BaselineRunId)}, proposed {RunLink(e.CandidateRunId)}, analysed {RunLink(e.AnalysisRunId)} (requested for {RunLink(e.RequestedRunId)}) · <a href=\"{E(compare)}\">compare baseline and proposed</a></p>");
    }

    private static void Dataset(StringBuilder html, Suggestion s)
    {
        var change = SuggestionJson.Deserialize<DatasetChange>(s.ChangeJson);
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(change.Operations.Count, "D")} row operation(s) on {E(change.DatasetPath)}</h2><p class=\"muted\">strategy {E(change.Strategy)}; dataset {E(change.DatasetName)}@{E(change.BaseDatasetVersion)}</p>");
        html.Append("<table id=\"operations\"><tr><th>op</th><th>case</th><th>input</th><th>change</th><th>why</th></tr>");
        foreach (var op in change.Operations)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(op.Op)}</td><td>{E(op.CaseId)}</td><td>{E(SuggestionText.Shorten(op.Input ?? string.Empty, 200))}</td><td>{E(SuggestionText.Operation(op))}</td><td>{E(op.Reason)}</td></tr>");
        }

        html.Append("</table>");
        if (SuggestionJson.TryDeserialize<DatasetEvidence>(s.EvidenceJson) is { } e)
        {
            if (e.Baseline.Count > 0)
            {
                html.Append("<h3>Baseline with and without the rows (current prompt)</h3><table id=\"baseline\"><tr><th></th><th>cases</th><th>pass rate</th><th>run</th></tr>");
                foreach (var f in e.Baseline)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(f.Label)}</td><td>{E(f.Cases, "D")}</td><td>{E(SuggestionText.Percent(f.PassRate))}</td><td>{RunLink(f.RunId)}</td></tr>");
                }

                html.Append("</table>");
            }

            Notes(html, e.Notes);
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{E(SuggestionText.ProvenanceLine(change.Provenance, []))}</p>");
    }

    private static void Scorer(StringBuilder html, Suggestion s)
    {
        var change = SuggestionJson.Deserialize<ScorerChange>(s.ChangeJson);
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(SuggestionText.ScorerHeading(change))}</h2><p class=\"muted\">strategy {E(change.Strategy)}{(change.Adds ? "; adds the scorer" : string.Empty)}{(change.Goal is { } g ? $"; covers requirement {E(g.RequirementId)} of goal {E(g.GoalName)}" : string.Empty)}</p>");
        html.Append("<table id=\"scorer-change\"><tr><th></th><th>before</th><th>after</th></tr>");
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>threshold</td><td>{E(SuggestionText.Threshold(change.ThresholdBefore))}</td><td>{E(SuggestionText.Threshold(change.ThresholdAfter))}</td></tr>");
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>options</td><td><code>{E(SuggestionText.Options(change.OptionsBefore))}</code></td><td><code>{E(SuggestionText.Options(change.OptionsAfter))}</code></td></tr></table>");
        if (SuggestionJson.TryDeserialize<ScorerEvidence>(s.EvidenceJson) is { } e)
        {
            foreach (var run in e.Runs)
            {
                html.Append(CultureInfo.InvariantCulture, $"<h3>{E(SuggestionText.RescoredRunLine(run))}</h3><p>{RunLink(run.RunId)}</p>");
                if (run.Flips.Count > 0)
                {
                    html.Append("<table class=\"flips\"><tr><th>case</th><th>output</th><th>expected</th><th>before</th><th>after</th></tr>");
                    foreach (var f in run.Flips)
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(SuggestionText.FlipCase(f))}</td><td>{E(SuggestionText.Shorten(f.Output ?? string.Empty, 120))}</td><td>{E(SuggestionText.Shorten(f.Expected ?? string.Empty, 120))}</td><td>{PassFail(f.PassedBefore)}</td><td>{PassFail(f.PassedAfter)}</td></tr>");
                    }

                    html.Append("</table>");
                }
            }

            Notes(html, e.Notes);
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{E(SuggestionText.ProvenanceLine(change.Provenance, []))}</p>");
    }

    private static void Goal(StringBuilder html, Suggestion s)
    {
        var draft = GoalDraftSuggestions.Read(s);
        html.Append(CultureInfo.InvariantCulture, $"<h2>Goal {E(draft.GoalName)}</h2><p>{E(draft.Description)}</p><p class=\"muted\">drafted by {E(draft.Source)}{(draft.Dataset is null ? string.Empty : " from the dataset " + E(draft.Dataset))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<h3>Requirements without a scorer ({E(draft.Uncovered.Count, "D")})</h3>");
        html.Append(draft.Uncovered.Count == 0 ? "<p>Every requirement is covered.</p>" : "<ul id=\"uncovered\">" + string.Concat(draft.Uncovered.Select(u => $"<li>{E(u)}</li>")) + "</ul>");
        html.Append(CultureInfo.InvariantCulture, $"<h3>Files approval writes ({E(draft.Files.Count, "D")}, all new)</h3>");
        foreach (var file in draft.Files)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"draft-file\"><h4><code>{E(file.Path)}</code></h4><pre>{E(file.Content)}</pre></section>");
        }
    }

    private static void Notes(StringBuilder html, IReadOnlyList<string> notes)
    {
        foreach (var note in notes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">note: {E(note)}</p>");
        }
    }

    private static string DiffClass(string line) =>
        line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "diff-file"
        : line.StartsWith("@@", StringComparison.Ordinal) ? "diff-hunk"
        : line.StartsWith('+') ? "diff-add"
        : line.StartsWith('-') ? "diff-del"
        : "diff-context";

    /// <summary>The CSS class of a measured effect: significant, not significant, regression, or neither (dataset, scorer, unverified).</summary>
    private static string EffectClass(string? verdict) => verdict switch
    {
        Verdicts.Significant => "effect effect-significant",
        Verdicts.NotSignificant => "effect effect-not-significant",
        Verdicts.Regression => "effect effect-regression",
        _ => "effect",
    };

    private static string PassFail(bool passed) => passed ? "<span class=\"met\">pass</span>" : "<span class=\"missed\">fail</span>";

}
