using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.TestUtilities.Builders;
using static EvalLoop.TestUtilities.Builders.ScriptPayloadScenario;

namespace EvalLoop.Reporting.Tests;

public sealed class RunReportTests
{
    [Fact]
    public async Task EveryPieceOfUntrustedTextIsEscapedAndNoMarkupFromTheDataReachesTheDocument()
    {
        var (scenario, run) = await CreateAsync();
        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var document = ReportHarness.Parse(html);

        // Exactly the report's own three scripts: two JSON data blocks and the case-table script.
        document.Scripts.Select(s => string.IsNullOrEmpty(s.Id) ? "(inline)" : s.Id).Should().BeEquivalentTo(["case-meta", "case-data", "(inline)"]);
        document.Scripts.Where(s => !string.IsNullOrEmpty(s.Id)).Should().OnlyContain(s => s.Type == "application/json");
        document.QuerySelectorAll("img, iframe, object, embed, link, base, form").Should().BeEmpty();
        document.All.SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Should().BeEmpty();
        document.All.Where(e => e.HasAttribute("href")).Select(e => e.GetAttribute("href")).Should().OnlyContain(h => h!.StartsWith('#'));
        document.All.Where(e => e.HasAttribute("src") || e.HasAttribute("xlink:href")).Should().BeEmpty();

        // The payloads are there, as text.
        document.QuerySelector("#prompt-system")!.TextContent.Should().Be(SystemPrompt);
        document.QuerySelector("#clusters")!.TextContent.Should().Contain(ScriptPayload + " → gamma").And.Contain(ImagePayload);
        document.QuerySelector("#suggestions")!.TextContent.Should().Contain("Add examples " + ImagePayload).And.Contain("<img src=x onerror=alert(1)>");
        html.Should().NotContain("<script>alert").And.NotContain("<img src=x");
    }

    [Fact]
    public async Task TheCaseDataIsAJsonBlockThatNoStringCanBreakOutOfAndThatCarriesTheTextExactly()
    {
        var (scenario, run) = await CreateAsync();
        var (html, result) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var document = ReportHarness.Parse(html);

        var block = document.GetElementById("case-data")!.TextContent;
        block.Should().NotContain("<", "every '<' in the data is written as \\u003C");
        using var rows = JsonDocument.Parse(block);
        rows.RootElement.GetArrayLength().Should().Be(Cases);
        result.Cases.Should().Be(Cases);
        var outputs = rows.RootElement.EnumerateArray().Select(r => r[6].ValueKind == JsonValueKind.Null ? null : r[6].GetString()).ToList();
        outputs.Should().Contain([ScriptPayload, ImagePayload, ScriptBreakout]);
        var first = rows.RootElement[0];
        first[1].GetString().Should().Be("case-01");
        first[3].GetString().Should().Be("fail");
        first[4].GetString().Should().Be("Please show " + ImagePayload);
        first[5].GetString().Should().Be("beta");
        first[10].GetInt32().Should().Be(1, "case-01 is in cluster 1");
        first[11][0][2].GetString().Should().Be("expected alpha, got " + ScriptPayload);
        rows.RootElement[6][3].GetString().Should().Be("error");
        rows.RootElement[6][7].GetString().Should().Be("http_500");

        using var meta = JsonDocument.Parse(document.GetElementById("case-meta")!.TextContent);
        meta.RootElement.GetProperty("scorers")[0].GetString().Should().Be("exact-match");
        meta.RootElement.GetProperty("clusters")[0].GetProperty("name").GetString().Should().Be(ScriptPayload + " → gamma");
    }

    [Fact]
    public async Task TheContentSecurityPolicyAllowsOnlyTheReportsOwnScriptByItsHash()
    {
        var (scenario, run) = await CreateAsync();
        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var document = ReportHarness.Parse(html);

        var policy = document.QuerySelector("meta[http-equiv='Content-Security-Policy']")!.GetAttribute("content")!;
        var script = document.Scripts.Single(s => string.IsNullOrEmpty(s.Id)).Text;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        policy.Should().Contain("default-src 'none'").And.Contain($"script-src 'sha256-{hash}'");
        script.Should().NotContain("innerHTML").And.NotContain("insertAdjacentHTML").And.NotContain("eval(").And.NotContain("document.write");
    }

    [Fact]
    public async Task TheHeaderSaysEachTargetIsMetOrMissedAndNamesTheRunsFacts()
    {
        var (scenario, run) = await CreateAsync();
        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var document = ReportHarness.Parse(html);

        var target = document.QuerySelector("#targets .target")!;
        target.ClassList.Should().Contain("missed");
        target.TextContent.Should().Contain("MISSED").And.Contain("exact-match").And.Contain("target 80.0%");
        var facts = document.QuerySelector("dl.facts")!.TextContent;
        facts.Should().Contain(run.Id).And.Contain("offline / offline").And.Contain(run.PromptVersion).And.Contain("2026-11-29 12:00:00 UTC").And.Contain("12.5 s");
        document.QuerySelector(".goal")!.TextContent.Should().Be("Answer right.");

        var summary = await scenario.Runs.SummarizeAsync(run.Id);
        var row = document.QuerySelectorAll("#scorer-summary tbody tr").Should().ContainSingle().Subject;
        var cells = row.Children.Select(c => c.TextContent).ToList();
        cells[0..2].Should().Equal(["exact-match", "0.627"], "37 of 59 scored results pass");
        cells[3].Should().Be("61.7%", "37 of 60 results pass");
        cells[2].Should().MatchRegex(@"^0\.\d{3} – 0\.\d{3}$", "the summary carries the 95% bootstrap interval of the mean");
        cells[4].Should().MatchRegex(@"^\d+\.\d% – \d+\.\d%$");
        summary.Scorers[0].PassRate.Should().BeApproximately(37 / 60.0, 1e-9);
        document.QuerySelectorAll("#run-totals tbody td").Select(c => c.TextContent).Should().StartWith(["60", "37", "22", "1", "61.7%"]);
        document.QuerySelector("#summary")!.TextContent.Should().Contain("http_500");
    }

    [Fact]
    public async Task ChartsAreInlineSvgWithTheirAxisLabelsAsTextAndIdsUniqueOnThePage()
    {
        var (scenario, run) = await CreateAsync();
        var (html, result) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var document = ReportHarness.Parse(html);

        var charts = document.QuerySelectorAll("figure.chart svg").ToList();
        var titles = document.QuerySelectorAll("figure.chart figcaption strong").Select(e => e.TextContent).ToList();
        titles.Should().Equal("Score distribution: exact-match.", "Pass rate by topic.", "Pass rate by tags.", "Score trend.", "Failure clusters.", "Latency distribution.");
        result.Warnings.Should().NotContain(w => w.Contains("fonts", StringComparison.Ordinal), "the test machine has fonts-dejavu-core (test.sh installs it)");
        var texts = charts.Select(svg => svg.QuerySelectorAll("text").Select(t => t.TextContent).ToList()).ToList();
        texts[0].Should().Contain(["score", "cases", "exact-match"]);
        texts[1].Should().Contain(["pass rate (%)", "topic"]).And.Contain(t => t.StartsWith("alpha (", StringComparison.Ordinal));
        texts[3].Should().Contain(["percent", "run start (UTC)", "11-28 12:00", "11-29 12:00"]);
        texts[4].Should().Contain(["failing results"]).And.Contain(t => t.Contains("alert(1)", StringComparison.Ordinal), "data labels are drawn as text, escaped");
        texts[5].Should().Contain(["latency (ms)", "results"]);

        var ids = document.QuerySelectorAll("[id]").Select(e => e.Id).ToList();
        ids.Should().OnlyHaveUniqueItems();
        document.QuerySelectorAll("svg [clip-path]").Select(e => e.GetAttribute("clip-path")).Should()
            .OnlyContain(v => v!.StartsWith("url(#chart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlicesAreMetadataKeysThatGroupResultsNotIdsLikeRowNumbers()
    {
        var (scenario, run) = await CreateAsync();
        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);

        html.Should().Contain("Pass rate by topic").And.Contain("Pass rate by tags").And.NotContain("Pass rate by row");
    }

    [Fact]
    public async Task ClustersShowTheirRepresentativesAndAButtonThatFiltersTheTable()
    {
        var (scenario, run) = await CreateAsync();
        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var document = ReportHarness.Parse(html);

        var cluster = document.GetElementById("cluster-1")!;
        cluster.QuerySelector("h3")!.TextContent.Should().StartWith("beta → wrong").And.Contain("3 results");
        var representatives = cluster.QuerySelectorAll("table.representatives tbody tr").ToList();
        representatives.Should().HaveCount(2);
        representatives[0].Children[0].TextContent.Should().Be("case-01");
        representatives[0].Children[1].TextContent.Should().Be("Please show " + ImagePayload);
        representatives[0].Children[3].TextContent.Should().Be(ScriptPayload);
        cluster.QuerySelector("button[data-show-cluster='1']").Should().NotBeNull();
        document.QuerySelectorAll("#case-cluster option").Select(o => o.TextContent).Should().Contain("beta → wrong (3)");
    }

    [Fact]
    public async Task SuggestionsShowTheirStatusEvidenceAndTheClustersTheyAddress()
    {
        var (scenario, run) = await CreateAsync();
        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var suggestion = ReportHarness.Parse(html).QuerySelector("#suggestions .suggestion")!;

        suggestion.QuerySelector(".badge.pending")!.TextContent.Should().Be("pending");
        suggestion.TextContent.Should().Contain("Addresses: " + ScriptPayload + " → gamma");
        suggestion.QuerySelector("pre.block")!.TextContent.Should().Contain("\"pass_rate_after\": 0.7").And.Contain("<img src=x onerror=alert(1)>");
        suggestion.QuerySelector("details pre")!.TextContent.Should().Contain("</script><script>alert(1)</script>");
    }

    [Fact]
    public async Task ARunWithNoAnalysisAndNoSuggestionsSaysSoAndStillHasEverythingElse()
    {
        var (scenario, run) = await CreateAsync();

        var (html, result) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario, withClusters: false, withSuggestions: false), run.Id);
        var document = ReportHarness.Parse(html);

        document.GetElementById("no-clusters")!.TextContent.Should().Contain("not been analysed");
        document.GetElementById("no-suggestions").Should().NotBeNull();
        document.QuerySelectorAll("figure.chart").Should().HaveCount(5, "every chart but the cluster chart");
        document.QuerySelectorAll("#case-cluster option").Select(o => o.GetAttribute("value")).Should().Equal("", "-1");
        result.Cases.Should().Be(Cases);

        // A store that is there but holds nothing for the run reads the same.
        var (empty, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), ScriptPayloadScenario.EarlierRunId);
        ReportHarness.Parse(empty).GetElementById("no-clusters").Should().NotBeNull();
    }

    [Fact]
    public async Task AnUnknownRunIsARunNotFoundError()
    {
        var (scenario, _) = await CreateAsync();

        var act = () => ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), "no-such-run");

        await act.Should().ThrowAsync<RunNotFoundException>().WithMessage("*no-such-run*");
    }

    [Fact]
    public async Task APartialRunAndAMissingDatasetAreNamedInBannersAndTheCasesAreStillListed()
    {
        var scenario = new RunScenario();
        var cases = Enumerable.Range(1, 5).Select(i => RunScenario.Case($"c{i}", $"input {i}", "x")).ToList();
        var dataset = await new RunScenario().AddDatasetAsync(cases);
        var run = await scenario.AddRunAsync(
            RunScenario.Experiment(), dataset, cases, (_, i) => i < 3 ? ScenarioResult.Pass("x") : new ScenarioResult(null, false, Skip: true), DateTimeOffset.UnixEpoch, "partial", RunStatus.Interrupted, planned: 5);

        var (html, result) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);
        var document = ReportHarness.Parse(html);

        var banners = document.QuerySelectorAll(".banner.warn").Select(b => b.TextContent).ToList();
        banners.Should().Contain(b => b.Contains("is interrupted: 3 of 5 planned results", StringComparison.Ordinal));
        banners.Should().Contain(b => b.Contains("is not in the database", StringComparison.Ordinal));
        result.Warnings.Should().HaveCount(2);
        using var rows = JsonDocument.Parse(document.GetElementById("case-data")!.TextContent);
        rows.RootElement.GetArrayLength().Should().Be(3);
        rows.RootElement[0][4].ValueKind.Should().Be(JsonValueKind.Null, "the input is unknown without the dataset");
    }

    [Fact]
    public async Task LongTextIsCutToTheCellLimitWithANoteAndSurrogatesStayValid()
    {
        var scenario = new RunScenario();
        var cases = new[] { RunScenario.Case("long", "in", "x") };
        var dataset = await scenario.AddDatasetAsync(cases);
        var longOutput = new string('a', 150) + "😀" + new string('b', 500) + "\ud800";
        var run = await scenario.AddRunAsync(RunScenario.Experiment(), dataset, cases, (_, _) => ScenarioResult.Fail(longOutput), DateTimeOffset.UnixEpoch, "long");

        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario, options: new ReportOptions { MaxCellCharacters = 151 }), run.Id);

        using var rows = JsonDocument.Parse(ReportHarness.Parse(html).GetElementById("case-data")!.TextContent);
        rows.RootElement[0][6].GetString().Should().Be(new string('a', 150) + " … [503 more characters not shown]", "a surrogate pair is never split");
    }

    [Fact]
    public async Task ALoneSurrogateInTheDataBecomesAReplacementCharacter()
    {
        var scenario = new RunScenario();
        var cases = new[] { RunScenario.Case("s", "in", "x") };
        var dataset = await scenario.AddDatasetAsync(cases);
        var run = await scenario.AddRunAsync(RunScenario.Experiment(), dataset, cases, (_, _) => ScenarioResult.Fail("a\ud800b"), DateTimeOffset.UnixEpoch, "s");

        var (html, _) = await ReportHarness.RunReportAsync(ReportHarness.Generator(scenario), run.Id);

        using var rows = JsonDocument.Parse(ReportHarness.Parse(html).GetElementById("case-data")!.TextContent);
        rows.RootElement[0][6].GetString().Should().Be("a\uFFFDb");
    }
}
