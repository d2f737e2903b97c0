using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace EvalLoop.Service.Tests;

/// <summary>The goals pages and API, a run's failure clusters, and the comparison of two runs, on the real host.</summary>
public sealed partial class InsightPagesTests
{
    private const string Goal = "ticket-routing";
    private const string Payload = "<script>alert('goal')</script><img src=x onerror=alert(3)>";

    [Fact]
    public async Task ShowsEachRequirementsStatusWithTheBaselineOfARegressionAndATrendChart()
    {
        await using var host = await ServiceHost.StartAsync();
        await WriteGoalAsync(host, target: 0.3);
        var original = await NarrowThePromptToOneLabelAsync(host);
        var good = await host.RunAsync();
        await File.WriteAllTextAsync(Path.Combine(host.Root, ServiceHost.ExperimentPath), original);
        var bad = await host.RunAsync();

        var api = await host.GetJsonAsync($"/api/goals/{Goal}");
        var list = (await host.GetJsonAsync("/api/goals")).AsArray();
        var page = await host.Client.GetAsync($"/goals/{Goal}");
        var html = await page.Content.ReadAsStringAsync();

        var requirements = api["requirements"]!.AsArray();
        var routed = requirements.Single(r => r!["id"]!.GetValue<string>() == "routes-tickets")!;
        routed["status"]!.GetValue<string>().Should().Be("regressed", "the one-label prompt got 2 of 6 right (>= 30%) and the three-label one 1 of 6: {0}", api.ToJsonString());
        var coverage = routed["coverage"]![0]!;
        coverage["latest_run"]!.GetValue<string>().Should().Be(bad);
        coverage["baseline_run"]!.GetValue<string>().Should().Be(good);
        coverage["trend"]!.AsArray().Select(p => p!["run_id"]!.GetValue<string>()).Should().Equal(good, bad);
        var anything = requirements.Single(r => r!["id"]!.GetValue<string>() == "anything-goes")!;
        anything["status"]!.GetValue<string>().Should().Be("no-target", "a score without a target is tracked, never met");
        anything["coverage"]![0]!["pass_rate"]!.GetValue<double>().Should().BeApproximately(1.0 / 6, 1e-9, "its latest score is still shown");
        requirements.Single(r => r!["id"]!.GetValue<string>() == "polite")!["status"]!.GetValue<string>().Should().Be("uncovered");
        requirements.Single(r => r!["id"]!.GetValue<string>() == "empty-slice")!["status"]!.GetValue<string>().Should().Be("not-run");
        api["status"]!.GetValue<string>().Should().Be("regressed");
        list.Should().ContainSingle().Which!["status"]!.GetValue<string>().Should().Be("regressed");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("status-regressed").And.Contain("status-no-target").And.Contain("status-uncovered").And.Contain("status-not-run");
        html.Should().Contain(".status-no-target{", "every status has a style");
        html.Should().Contain($"/runs/{good}\"", "the baseline run of the regression is linked").And.Contain($"/compare?a={good}&amp;b={bad}");
        Regex.Count(html, "<figure class=\"trend\"><svg ").Should().Be(3, "one trend per covered requirement");
        html.Should().NotContain("<script").And.NotContain("<img").And.Contain("&lt;script&gt;alert(");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'");
        var goals = await (await host.Client.GetAsync("/goals")).Content.ReadAsStringAsync();
        goals.Should().Contain($"href=\"/goals/{Goal}\"").And.Contain("status-regressed");
        var home = await (await host.Client.GetAsync("/")).Content.ReadAsStringAsync();
        home.Should().Contain($"href=\"/goals/{Goal}\"");
    }

    [Fact]
    public async Task AnswersNotFoundForAnUnknownGoalAndListsAnInvalidGoalFileWithItsProblem()
    {
        await using var host = await ServiceHost.StartAsync();
        Directory.CreateDirectory(Path.Combine(host.Root, "experiments", "goals"));
        await File.WriteAllTextAsync(Path.Combine(host.Root, "experiments", "goals", "broken.yaml"), "name: broken\nrequirements: 3\n");

        var unknown = await host.Client.GetAsync("/api/goals/no-such-goal");
        var traversal = await host.Client.GetAsync("/goals/..%2Fexperiments%2Ftickets");
        var broken = await host.Client.GetAsync("/api/goals/broken");
        var list = (await host.GetJsonAsync("/api/goals")).AsArray();

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        traversal.StatusCode.Should().Be(HttpStatusCode.NotFound);
        broken.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var entry = list.Should().ContainSingle().Subject!;
        entry["status"]!.GetValue<string>().Should().Be("invalid");
        entry["problems"]![0]!.GetValue<string>().Should().Contain("broken.yaml");
    }

    [Fact]
    public async Task ServesARunsFailureClustersWithTheirRepresentativeCases()
    {
        await using var host = await ServiceHost.StartAsync();
        var unanalysed = await host.RunAsync();
        await NarrowThePromptToOneLabelAsync(host);
        var runId = await host.RunAsync();
        await host.Services.Analyzer.AnalyzeAsync(runId, progress: null);

        var clusters = await host.GetJsonAsync($"/api/runs/{runId}/clusters");
        var none = await host.GetJsonAsync($"/api/runs/{unanalysed}/clusters");
        var missing = await host.Client.GetAsync("/api/runs/no-such-run/clusters");
        var page = await (await host.Client.GetAsync($"/runs/{runId}/clusters")).Content.ReadAsStringAsync();
        var runPage = await (await host.Client.GetAsync($"/runs/{runId}")).Content.ReadAsStringAsync();

        clusters["analyzed"]!.GetValue<bool>().Should().BeTrue();
        clusters["failures"]!.GetValue<int>().Should().Be(4, "the one-label prompt answers billing to the 4 other tickets");
        var all = clusters["clusters"]!.AsArray();
        all.Should().NotBeEmpty();
        all.Sum(c => c!["size"]!.GetValue<int>()).Should().Be(4);
        var representative = all[0]!["representatives"]![0]!;
        representative["input"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        representative["expected"]!.GetValue<string>().Should().BeOneOf("bug", "feature_request");
        representative["output"]!.GetValue<string>().Should().Be("billing");
        none["analyzed"]!.GetValue<bool>().Should().BeFalse();
        none["clusters"]!.AsArray().Should().BeEmpty();
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        page.Should().Contain(HtmlEncoder.Default.Encode(all[0]!["name"]!.GetValue<string>())).And.Contain(HtmlEncoder.Default.Encode(representative["input"]!.GetValue<string>()));
        page.Should().Contain(all[0]!["kind"]!.GetValue<string>());
        runPage.Should().Contain($"/runs/{runId}/clusters");
    }

    [Fact]
    public async Task ComparesTwoRunsWithTheDiffReportAndOffersTheOtherRunsOnTheRunPage()
    {
        await using var host = await ServiceHost.StartAsync();
        var a = await host.RunAsync();
        await NarrowThePromptToOneLabelAsync(host);
        var b = await host.RunAsync();

        var report = await host.Client.GetAsync($"/compare?a={a}&b={b}");
        var html = await report.Content.ReadAsStringAsync();
        var picker = await (await host.Client.GetAsync("/compare")).Content.ReadAsStringAsync();
        var unknown = await host.Client.GetAsync($"/compare?a={a}&b=no-such-run");
        var runPage = await (await host.Client.GetAsync($"/runs/{b}")).Content.ReadAsStringAsync();

        report.StatusCode.Should().Be(HttpStatusCode.OK);
        report.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain(a).And.Contain(b).And.Contain("Content-Security-Policy");
        html.Should().Contain("one of:", "the prompt diff shows the changed system prompt");
        picker.Should().Contain("action=\"/compare\"").And.Contain($"<option value=\"{a}\"").And.Contain($"<option value=\"{b}\"");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        runPage.Should().Contain("id=\"compare-form\"").And.Contain($"<option value=\"{a}\"").And.Contain($"name=\"b\" value=\"{b}\"");
    }

    /// <summary>Names a goal file from the experiment and writes it: one covered requirement with <paramref name="target"/>, one without a target, one uncovered, one on an empty slice.</summary>
    private static async Task WriteGoalAsync(ServiceHost host, double target)
    {
        Directory.CreateDirectory(Path.Combine(host.Root, "experiments", "goals"));
        await File.WriteAllTextAsync(Path.Combine(host.Root, "experiments", "goals", Goal + ".yaml"), $$"""
            name: {{Goal}}
            description: "Route each ticket. {{Payload.Replace("\"", "\\\"", StringComparison.Ordinal)}}"
            experiments: [{{ServiceHost.Experiment}}]
            requirements:
              - id: routes-tickets
                text: "at least half right"
                target: {{target.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
                covered_by:
                  - { experiment: {{ServiceHost.Experiment}}, scorer: exact-match }
              - id: anything-goes
                text: "measured, no target"
                covered_by:
                  - { experiment: {{ServiceHost.Experiment}}, scorer: exact-match }
              - id: polite
                text: "the answer is polite"
              - id: empty-slice
                text: "tickets tagged vip"
                target: 0.9
                covered_by:
                  - { experiment: {{ServiceHost.Experiment}}, scorer: exact-match, slice: { tier: vip } }

            """);
        var path = Path.Combine(host.Root, ServiceHost.ExperimentPath);
        var experiment = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, GoalLine().Replace(experiment, "goal: " + Goal));
    }

    /// <summary>
    /// Rewrites the prompt to allow only "billing": the offline model then answers billing to every ticket (2 of 6
    /// right; with all three labels and no examples it gets 1 of 6). Returns the file as it was.
    /// </summary>
    private static async Task<string> NarrowThePromptToOneLabelAsync(ServiceHost host)
    {
        var path = Path.Combine(host.Root, ServiceHost.ExperimentPath);
        var experiment = await File.ReadAllTextAsync(path);
        var narrowed = experiment.Replace("    - bug\n    - feature_request\n", string.Empty, StringComparison.Ordinal);
        narrowed.Should().NotBe(experiment);
        await File.WriteAllTextAsync(path, narrowed);
        return experiment;
    }

    [GeneratedRegex("^goal: .*$", RegexOptions.Multiline)]
    private static partial Regex GoalLine();
}
