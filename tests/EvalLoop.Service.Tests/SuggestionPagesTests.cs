using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EvalLoop.Core.Statistics;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Goals;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Service.Tests;

/// <summary>The suggestions inbox and detail pages: each kind's change and evidence rendered from data, escaped, and the page after a decision.</summary>
public sealed partial class SuggestionPagesTests
{
    [Fact]
    public async Task AVerifiedPromptSuggestionShowsItsDiffLinesAndItsEvidence()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer with the label only.\n", "Ask for the label only", Evidence(runId, fixedIds: ["t1", "t4"], brokenIds: ["t5"], cluster: "bug reports"));

        var html = await PageAsync(host, $"/suggestions/{suggestion.Id}");
        var inbox = await PageAsync(host, "/suggestions");

        html.Should().Contain($"<span class=\"diff-add\">{E("+Answer with the label only.")}</span>", "an added line carries its class")
            .And.Contain("<span class=\"diff-hunk\">@@ -")
            .And.Contain("<span class=\"diff-file\">--- experiments/tickets.yaml prompt.system")
            .And.Contain($"<span class=\"diff-context\">{E(" - billing")}</span>");
        html.Should().Contain("McNemar (exact-binomial): 7 fixed, 1 broken, p = 0.0703 at level 0.05: significant.")
            .And.Contain("fixed (2): <span class=\"fixed-cases\">t1, t4</span>")
            .And.Contain("broken (1): <span class=\"broken-cases\">t5</span>")
            .And.Contain($"<td>pass rate</td><td>{E("50.0 %")}</td><td>{E("83.3 %")}</td><td>{E("+33.3 pts")}</td>")
            .And.Contain($"<td>{E("+0.120 [+0.030, +0.200]")}</td>", "the paired-bootstrap CI of the mean score")
            .And.Contain($"<td>cost (run)</td><td>0.012</td><td>0.015</td><td>{E("+0.003")}</td>");
        html.Should().Contain($"<tr class=\"regressed\"><td>bug reports</td><td>labels</td><td>8</td><td>{E("87.5 %")}</td><td>{E("62.5 %")}</td><td>{E("-25.0 pts")} <strong>REGRESSED</strong></td></tr>")
            .And.Contain($"<tr><td>billing</td><td>labels</td><td>12</td><td>{E("50.0 %")}</td><td>{E("75.0 %")}</td><td>{E("+25.0 pts")}</td></tr>");
        html.Should().Contain($"href=\"/compare?a={runId}&amp;b=run-candidate-1\"").And.Contain("href=\"/runs/run-candidate-1\"");
        html.Should().Contain("<details class=\"raw\">", "the stored JSON stays available to auditors");
        Regex.Match(inbox, $"<a href=\"/suggestions/{suggestion.Id}\">Ask for the label only</a>.*?</tr>").Value
            .Should().Contain($"<td class=\"effect effect-significant\">{E("50.0 % → 83.3 % (+33.3 pts, p=0.0703, 7 fixed / 1 broken, 6 cases) significant")}</td>");
    }

    [Fact]
    public async Task ADatasetSuggestionShowsItsRowOperationsAndTheBaselineWithAndWithoutThem()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var change = new DatasetChange
        {
            Strategy = "suspect-labels",
            DatasetName = "tickets",
            DatasetPath = "datasets/tickets.jsonl",
            BaseFileSha256 = "0",
            BaseDatasetVersion = "v1",
            Operations = [new DatasetOperation { Op = DatasetOperation.Relabel, CaseId = "t4", Input = "How do I get a refund?", ExpectedBefore = "billing", ExpectedAfter = "bug", Reason = "its neighbours say bug" }],
            Fingerprint = "f-dataset",
            Provenance = new Provenance { MotivatingCaseIds = ["t4"] },
        };
        var evidence = new DatasetEvidence
        {
            RequestedRunId = runId,
            AnalysisRunId = runId,
            Baseline = [new BaselineFigure("as is", runId, 6, 0.5), new BaselineFigure("without the rows", runId, 5, 0.6)],
            Notes = ["a human judges the data"],
        };
        var suggestion = await SaveAsync(host, runId, SuggestionKinds.Dataset, "Relabel t4", SuggestionJson.Serialize(change), SuggestionJson.Serialize(evidence));

        var html = await PageAsync(host, $"/suggestions/{suggestion.Id}");

        html.Should().Contain($"<td>relabel</td><td>t4</td><td>How do I get a refund?</td><td>{E("expected billing -> bug")}</td><td>its neighbours say bug</td>");
        html.Should().Contain($"<tr><td>without the rows</td><td>5</td><td>{E("60.0 %")}</td><td><a href=\"/runs/{runId}\">{runId}</a></td></tr>");
        html.Should().Contain("note: a human judges the data").And.Contain("Provenance: 1 motivating case(s)");
    }

    [Fact]
    public async Task AScorerSuggestionShowsItsThresholdAndOptionsBeforeAndAfterAndEachRescoredRunsFlips()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var change = new ScorerChange
        {
            Strategy = "normalized-match",
            ScorerName = "exact-match",
            ScorerType = "exact-match",
            FilePath = ServiceHost.ExperimentPath,
            Inline = true,
            BaseFileSha256 = "0",
            ThresholdBefore = 1,
            ThresholdAfter = 0.8,
            OptionsAfter = new JsonObject { ["ignore_case"] = true },
            Fingerprint = "f-scorer",
            Provenance = new Provenance(),
        };
        var evidence = new ScorerEvidence
        {
            RequestedRunId = runId,
            Runs = [new RescoredRun(runId, "the requested run", 6, 0.5, 0.6667, [new Flip("t2", 1, "Bug", "bug", false, true, 0, 1)])],
        };
        var suggestion = await SaveAsync(host, runId, SuggestionKinds.Scorer, "Ignore case", SuggestionJson.Serialize(change), SuggestionJson.Serialize(evidence));

        var html = await PageAsync(host, $"/suggestions/{suggestion.Id}");

        html.Should().Contain("<tr><td>threshold</td><td>1</td><td>0.8</td></tr>")
            .And.Contain($"<tr><td>options</td><td><code>{{}}</code></td><td><code>{E("{\"ignore_case\":true}")}</code></td></tr>");
        html.Should().Contain(E($"Re-scored run {runId} (the requested run): pass rate 50.0 % -> 66.7 %, 1 flip(s)"))
            .And.Contain("<tr><td>t2</td><td>Bug</td><td>bug</td><td><span class=\"missed\">fail</span></td><td><span class=\"met\">pass</span></td></tr>");
    }

    [Fact]
    public async Task AGoalSuggestionShowsTheFilesItWouldWriteAndItsUncoveredRequirements()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var draft = new GoalDraft(
            "routing",
            "Route tickets right",
            "tickets",
            [new DraftFile("experiments/goals/routing.yaml", "name: routing\nrequirements:\n  - id: correct\n"), new DraftFile("experiments/routing-correct.yaml", "name: routing-correct\n")],
            ["replies are polite"],
            "offline");
        var suggestion = await SaveAsync(host, runId, SuggestionKinds.Goal, "goal routing", SuggestionJson.Serialize(draft), null);

        var html = await PageAsync(host, $"/suggestions/{suggestion.Id}");

        html.Should().Contain($"<h4><code>experiments/goals/routing.yaml</code></h4><pre>{E("name: routing\nrequirements:\n  - id: correct\n")}</pre>")
            .And.Contain($"<h4><code>experiments/routing-correct.yaml</code></h4><pre>{E("name: routing-correct\n")}</pre>");
        html.Should().Contain("<ul id=\"uncovered\"><li>replies are polite</li></ul>");
    }

    [Fact]
    public async Task EscapesHostileTextInATitleADiffLineACaseIdAndAClusterName()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(
            runId,
            "<script>alert('diff')</script>\n",
            "<script>alert('title')</script>",
            Evidence(runId, fixedIds: ["<script>alert('case')</script>"], brokenIds: [], cluster: "<img src=x onerror=alert(1)>"));

        var html = await PageAsync(host, $"/suggestions/{suggestion.Id}");
        var inbox = await PageAsync(host, "/suggestions");

        foreach (var page in new[] { html, inbox })
        {
            page.Should().NotContain("<script").And.NotContain("<img");
        }

        html.Should().Contain($"<span class=\"diff-add\">{E("+<script>alert('diff')</script>")}</span>")
            .And.Contain($"<span class=\"fixed-cases\">{E("<script>alert('case')</script>")}</span>")
            .And.Contain($"<td>{E("<img src=x onerror=alert(1)>")}</td>");
    }

    [Fact]
    public async Task ShowsAChangeItCannotReadAsStoredInsteadOfFailing()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var broken = await SaveAsync(host, runId, SuggestionKinds.Prompt, "broken", "{\"strategy\": <b>", "[1, 2");
        var otherShape = await SaveAsync(host, runId, SuggestionKinds.Dataset, "other shape", "{\"what\": \"<b>x</b>\"}", null);

        var brokenPage = await host.Client.GetAsync($"/suggestions/{broken.Id}");
        var otherShapePage = await host.Client.GetAsync($"/suggestions/{otherShape.Id}");
        var inbox = await host.Client.GetAsync("/suggestions");

        brokenPage.StatusCode.Should().Be(HttpStatusCode.OK);
        otherShapePage.StatusCode.Should().Be(HttpStatusCode.OK);
        inbox.StatusCode.Should().Be(HttpStatusCode.OK);
        (await brokenPage.Content.ReadAsStringAsync()).Should().Contain("could not be read").And.Contain($"<pre>{E("{\"strategy\": <b>")}</pre>").And.NotContain("<b>");
        (await otherShapePage.Content.ReadAsStringAsync()).Should().Contain(E("This dataset suggestion's change or evidence could not be read")).And.Contain(E("<b>x</b>"));
    }

    [Fact]
    public async Task DoesNotEchoTextFromTheQueryString()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "x\n", "plain");

        var html = await PageAsync(host, $"/suggestions/{suggestion.Id}?message=Call%20mallory%20on%20555&error=Call%20mallory&done=Call%20mallory");

        html.Should().NotContain("mallory");
    }

    [Fact]
    public async Task AfterApprovalShowsTheNewVersionAndTheReRunItQueuedFromData()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer with the label only.\n", "label only");
        var path = $"/suggestions/{suggestion.Id}";

        var approved = await host.Client.PostAsync(path + "/approve", await FormAsync(host, path, new() { ["by"] = "carol", ["rerun"] = "true" }));
        var first = await PageAsync(host, path);
        var stored = (await host.Services.Suggestions.GetAsync(suggestion.Id))!;
        var withRun = await ServiceHost.EventuallyAsync(() => PageAsync(host, path), p => RerunRun().IsMatch(p), "the re-run to show on the page");

        approved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        approved.Headers.Location!.OriginalString.Should().Be(path + "?done=approved", "the redirect carries a code, not text");
        first.Should().Contain($"new version {stored.ResultingVersion} (").And.Contain("by carol");
        first.Should().MatchRegex("<li class=\"rerun(-queued)?\">", "the queued (or already started) re-run shows at once");
        var rerunId = RerunRun().Match(withRun).Groups["run"].Value;
        var rerun = (await host.Services.Runs.GetRunAsync(rerunId))!;
        rerun.ExperimentName.Should().Be(ServiceHost.Experiment);
        rerun.StartedAt.Should().BeOnOrAfter(stored.DecidedAt!.Value, "it is the run the approval queued, not an earlier one");
        rerunId.Should().NotBe(runId);
    }

    [Fact]
    public async Task ASecondDecisionShowsWhoDecidedFirstAndARejectionWithoutAReasonSaysSo()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer with the label only.\n", "label only");
        var path = $"/suggestions/{suggestion.Id}";
        var noReason = await host.Client.PostAsync(path + "/reject", await FormAsync(host, path, new() { ["by"] = "dave" }));
        var form = await FormAsync(host, path, new() { ["by"] = "carol" });
        var late = await FormAsync(host, path, new() { ["by"] = "erin", ["reason"] = "too late" });

        (await host.Client.PostAsync(path + "/approve", form)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var conflict = await host.Client.PostAsync(path + "/reject", late);
        var page = await PageAsync(host, conflict.Headers.Location!.OriginalString);

        noReason.Headers.Location!.OriginalString.Should().Be(path + "?error=reason");
        (await PageAsync(host, path + "?error=reason")).Should().Contain("a rejection needs a reason");
        conflict.Headers.Location!.OriginalString.Should().Be(path + "?error=decided");
        page.Should().MatchRegex("someone else decided first\\. It was approved by carol at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\.");
    }

    [Fact]
    public async Task APendingSuggestionWhoseFileChangedSaysSoBeforeTheReviewerTriesToApproveIt()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer with the label only.\n", "label only");
        var path = $"/suggestions/{suggestion.Id}";

        var before = await PageAsync(host, path);
        await File.AppendAllTextAsync(Path.Combine(host.Root, ServiceHost.ExperimentPath), "# edited by hand\n");
        var after = await PageAsync(host, path);

        before.Should().NotContain("id=\"stale\"");
        after.Should().Contain("id=\"stale\"").And.Contain(ServiceHost.ExperimentPath + " changed since this suggestion was made");
    }

    [Fact]
    public async Task ASupersededSuggestionShowsWhyAndAnApprovalOfItSaysItWasSuperseded()
    {
        await using var host = await ServiceHost.StartAsync();
        var runId = await host.RunAsync();
        var suggestion = await host.SavePromptSuggestionAsync(runId, "Answer with the label only.\n", "label only");
        const string Why = "experiments/tickets.yaml changed since this suggestion was made, so it no longer applies";
        await host.Services.Suggestions.SaveAsync(suggestion with { Status = SuggestionStatus.Superseded, DecidedAt = DateTimeOffset.UtcNow, DecisionReason = Why });
        var path = $"/suggestions/{suggestion.Id}";
        // The page of a decided suggestion has no form: the session's anti-forgery token comes from another page.
        var form = await FormAsync(host, "/schedules", new() { ["by"] = "carol" });

        var page = await PageAsync(host, path);
        var approve = await host.Client.PostAsync(path + "/approve", form);

        page.Should().Contain("status <strong>superseded</strong>").And.Contain(E(Why));
        approve.Headers.Location!.OriginalString.Should().Be(path + "?error=superseded");
        (await PageAsync(host, path + "?error=superseded")).Should().Contain("it was superseded").And.NotContain("someone else decided first");
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string Evidence(string runId, IReadOnlyList<string> fixedIds, IReadOnlyList<string> brokenIds, string cluster) => SuggestionJson.Serialize(new PromptEvidence
    {
        Verdict = Verdicts.Significant,
        RequestedRunId = runId,
        AnalysisRunId = runId,
        BaselineRunId = runId,
        CandidateRunId = "run-candidate-1",
        VerificationSet = "dev, verification half (6 cases)",
        VerificationCases = 6,
        Scorer = "exact-match",
        SignificanceLevel = 0.05,
        BaselinePassRate = 0.5,
        CandidatePassRate = 5 / 6.0,
        Delta = (5 / 6.0) - 0.5,
        McNemar = new McNemarResult(7, 1, 0.0703, McNemarResult.ExactMethod, null),
        ScoreDelta = new BootstrapResult(0.12, 0.03, 0.2, 6, 0.95, 1000),
        FixedCaseIds = fixedIds,
        BrokenCaseIds = brokenIds,
        Clusters = [new ClusterDelta("c1", "billing", "labels", 12, 0.5, 0.75, 0.25, false), new ClusterDelta("c2", cluster, "labels", 8, 0.875, 0.625, -0.25, true)],
        Usage = new UsageDelta(120, 135, 4, 4, 0.012m, 0.015m, 10, 11, 0, 0),
    });

    private static Task<Suggestion> SaveAsync(ServiceHost host, string runId, string kind, string title, string changeJson, string? evidenceJson) =>
        host.Services.Suggestions.SaveAsync(new Suggestion
        {
            Id = "s-" + Guid.NewGuid().ToString("N")[..8],
            RunId = runId,
            ExperimentName = ServiceHost.Experiment,
            Kind = kind,
            Title = title,
            Summary = "test suggestion",
            ChangeJson = changeJson,
            EvidenceJson = evidenceJson,
            CreatedAt = DateTimeOffset.UtcNow,
        });

    private static async Task<string> PageAsync(ServiceHost host, string path)
    {
        var response = await host.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The fields of a form on <paramref name="page"/> with its anti-forgery token.</summary>
    private static async Task<FormUrlEncodedContent> FormAsync(ServiceHost host, string page, Dictionary<string, string> fields)
    {
        var token = AntiforgeryField().Match(await PageAsync(host, page));
        token.Success.Should().BeTrue();
        fields[token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value);
        return new FormUrlEncodedContent(fields);
    }

    [GeneratedRegex("name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<li class=\"rerun\">re-run of tickets: run <a href=\"/runs/(?<run>[^\"]+)\">")]
    private static partial Regex RerunRun();
}
