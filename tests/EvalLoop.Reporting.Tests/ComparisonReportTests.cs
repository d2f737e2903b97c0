using EvalLoop.Core.Running;
using EvalLoop.TestUtilities.Builders;

namespace EvalLoop.Reporting.Tests;

public sealed class ComparisonReportTests
{
    private const string BaselineId = "run-a";
    private const string CandidateId = "run-b";

    /// <summary>
    /// 30 cases. A passes 1-10, B passes 3-20: fixed 11-20, broken 1-2, unchanged pass 3-10, unchanged fail 21-30
    /// (whose wrong output changed). B's prompt adds a line.
    /// </summary>
    private static async Task<RunScenario> TwoRunsAsync()
    {
        var scenario = new RunScenario();
        var cases = Enumerable.Range(1, 30).Select(i => RunScenario.Case($"c{i:00}", $"question {i}", $"answer-{i}")).ToList();
        var dataset = await scenario.AddDatasetAsync(cases);
        var a = RunScenario.Experiment(system: "Answer.\nBe brief.", targets: new Dictionary<string, double> { ["exact-match"] = 0.5 });
        var b = a with { Prompt = a.Prompt with { System = "Answer.\nUse the examples.\nBe brief." } };
        await scenario.AddRunAsync(a, dataset, cases, (c, i) => i < 10 ? ScenarioResult.Pass(c.ExpectedText!) : ScenarioResult.Fail("old wrong <b>" + i + "</b>"), DateTimeOffset.UnixEpoch, BaselineId);
        await scenario.AddRunAsync(b, dataset, cases, (c, i) => i is >= 2 and < 20 ? ScenarioResult.Pass(c.ExpectedText!) : ScenarioResult.Fail("<script>alert(" + i + ")</script>"), DateTimeOffset.UnixEpoch.AddHours(1), CandidateId);
        return scenario;
    }

    [Fact]
    public async Task CountsFixedBrokenAndUnchangedCasesAndTestsTheFlipsWithMcNemar()
    {
        var scenario = await TwoRunsAsync();

        var (html, result) = await ReportHarness.ComparisonReportAsync(ReportHarness.Generator(scenario), BaselineId, CandidateId);
        var document = ReportHarness.Parse(html);

        result.Cases.Should().Be(30);
        document.GetElementById("fixed-count")!.TextContent.Should().Be("10");
        document.GetElementById("broken-count")!.TextContent.Should().Be("2");
        document.GetElementById("unchanged-count")!.TextContent.Should().Be("18");
        document.GetElementById("overall")!.TextContent.Should()
            .Contain("from 33.3% to 60.0% (+26.7 pp)")
            .And.Contain("McNemar exact (binomial): p = 0.0386 (significant at 5%)");
        document.QuerySelectorAll("#fixed-cases tbody tr").Select(r => r.GetAttribute("data-case")).Should().Equal(Enumerable.Range(11, 10).Select(i => $"c{i:00}"));
        document.QuerySelectorAll("#broken-cases tbody tr").Select(r => r.GetAttribute("data-case")).Should().Equal("c01", "c02");
        document.QuerySelectorAll("#changed-cases tbody tr").Should().HaveCount(10, "the failing cases 21-30 changed their wrong output");
    }

    [Fact]
    public async Task ShowsTheChangedOutputsSideBySideEscaped()
    {
        var scenario = await TwoRunsAsync();

        var (html, _) = await ReportHarness.ComparisonReportAsync(ReportHarness.Generator(scenario), BaselineId, CandidateId);
        var document = ReportHarness.Parse(html);

        var broken = document.QuerySelector("#broken-cases tbody tr")!.Children.Select(c => c.TextContent).ToList();
        broken[0].Should().Be("c01");
        broken[1].Should().Be("question 1");
        broken[2].Should().Be("answer-1");
        broken[3].Should().Be("pass" + "answer-1");
        broken[4].Should().Be("fail" + "<script>alert(0)</script>");
        broken[5].Should().Be("exact-match: 1.000 pass → 0.000 fail");
        document.Scripts.Should().BeEmpty("the diff report needs no script, and none from the data got in");
        document.QuerySelectorAll("b").Should().BeEmpty();
        document.QuerySelector("meta[http-equiv='Content-Security-Policy']")!.GetAttribute("content").Should().Contain("script-src 'none'");
    }

    [Fact]
    public async Task GivesEachScorersDeltasWithAPairedBootstrapIntervalAndTheTargets()
    {
        var scenario = await TwoRunsAsync();

        var (html, _) = await ReportHarness.ComparisonReportAsync(ReportHarness.Generator(scenario), BaselineId, CandidateId);

        var cells = ReportHarness.Parse(html).QuerySelectorAll("#scorer-deltas tbody tr").Should().ContainSingle().Subject.Children.Select(c => c.TextContent).ToList();
        cells[0].Should().Be("exact-match");
        cells[1].Should().Be("0.333");
        cells[2].Should().Be("0.600");
        cells[3].Should().MatchRegex(@"^\+0\.267 \[\+0\.\d{3}, \+0\.\d{3}\]$");
        cells[4..10].Should().Equal("33.3%", "60.0%", "+26.7 pp", "10", "2", "0.0386");
        cells[11].Should().Be("missed → met");
    }

    [Fact]
    public async Task ShowsThePromptDiffLineByLine()
    {
        var scenario = await TwoRunsAsync();

        var (html, _) = await ReportHarness.ComparisonReportAsync(ReportHarness.Generator(scenario), BaselineId, CandidateId);
        var document = ReportHarness.Parse(html);

        var lines = document.QuerySelectorAll("#prompt-diff table.diff tr").Select(r => (r.ClassName, r.TextContent.Trim())).ToList();
        lines.Should().Equal(("same", "Answer."), ("added", "+Use the examples."), ("same", "Be brief."));
        document.QuerySelector("#settings")!.TextContent.Should().Contain("prompt version");
    }

    [Fact]
    public async Task TwoRunsOfTheSamePromptSayThePromptIsUnchangedAndWarnWhenTheyAreOneRun()
    {
        var scenario = await TwoRunsAsync();

        var (html, result) = await ReportHarness.ComparisonReportAsync(ReportHarness.Generator(scenario), BaselineId, BaselineId);
        var document = ReportHarness.Parse(html);

        document.GetElementById("prompt-unchanged").Should().NotBeNull();
        document.GetElementById("fixed-count")!.TextContent.Should().Be("0");
        result.Warnings.Should().ContainSingle().Which.Should().Contain("same run");
    }

    [Fact]
    public async Task AnUnknownRunIsARunNotFoundError()
    {
        var scenario = await TwoRunsAsync();

        var act = () => ReportHarness.ComparisonReportAsync(ReportHarness.Generator(scenario), BaselineId, "nope");

        await act.Should().ThrowAsync<RunNotFoundException>().WithMessage("*nope*");
    }
}
