using System.Globalization;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Workspace;
using EvalLoop.TestUtilities.Builders;
using EvalLoop.TestUtilities.Fakes;
using static EvalLoop.TestUtilities.Builders.ScriptPayloadScenario;

namespace EvalLoop.Reporting.Tests;

public sealed class GoalSectionTests
{
    private const string GoalName = "demo-routing";

    [Fact]
    public async Task ShowsTheRequirementsThisExperimentCoversWithTargetThisRunsScoreAndStatus()
    {
        var (scenario, earlier, run) = await CreateAsync();
        var goals = new InMemoryGoalSource().Add(Goal());

        var (html, _) = await ReportHarness.RunReportAsync(Generator(scenario, goals), run.Id);
        var document = ReportHarness.Parse(html);

        var section = document.GetElementById("goal")!;
        section.QuerySelector("h2")!.TextContent.Should().Be("Goal: " + GoalName);
        document.GetElementById("goal-description")!.TextContent.Should().Be("Route well. " + ScriptPayload);
        var rows = section.QuerySelectorAll("#goal-requirements tbody tr").ToList();
        rows.Select(r => r.GetAttribute("data-requirement")).Should().Equal("overall", "overall", "alpha-slice", "no-target");
        Cells(rows[0]).Should().Equal("overall" + ImagePayload, "exact-match · all cases", "70.0%", "50.0%", "4", "regressed since " + earlier.Id + " (75.0%)");
        Cells(rows[1]).Should().Equal("overall" + ImagePayload, "contains · all cases", "70.0%", "100.0%", "4", "met ");
        Cells(rows[2]).Should().Equal("alpha-slice" + "alpha only", "exact-match · topic=alpha", "60.0%", "0.0%", "2", "missed ");
        Cells(rows[3]).Should().Equal("no-target" + "reported only", "exact-match · all cases", "–", "50.0%", "4", "no-target ");
        section.QuerySelectorAll(".badge.fail").Should().HaveCount(2, "regressed and missed are failures");
        section.TextContent.Should().Contain("2 more of the goal's 5 requirements are not measured by this experiment", "the requirement covered by another experiment and the uncovered one are left out");
        section.TextContent.Should().NotContain("other-experiment-only");
        document.QuerySelector("nav.sections a[href='#goal']").Should().NotBeNull();
        html.Should().NotContain("<script>alert").And.NotContain("<img src=x");
        document.QuerySelectorAll("img").Should().BeEmpty();
    }

    [Fact]
    public async Task LeavesTheSectionOutWhenTheExperimentNamesNoGoalFileOrNoGoalSourceIsGiven()
    {
        var (scenario, _, run) = await CreateAsync();
        var (freeTextScenario, _, freeTextRun) = await CreateAsync(goal: "Route well, as free text.");

        var (withoutSource, _) = await ReportHarness.RunReportAsync(Generator(scenario, goals: null), run.Id);
        var (withFreeText, _) = await ReportHarness.RunReportAsync(Generator(freeTextScenario, new InMemoryGoalSource().Add(Goal())), freeTextRun.Id);

        ReportHarness.Parse(withoutSource).GetElementById("goal").Should().BeNull();
        ReportHarness.Parse(withFreeText).GetElementById("goal").Should().BeNull();
    }

    [Fact]
    public async Task SaysSoWhenTheGoalFileIsMissingOrInvalidAndStillWritesTheReport()
    {
        var (scenario, _, run) = await CreateAsync();
        var broken = new InMemoryGoalSource { OnFind = name => throw new WorkspaceFileException($"experiments/goals/{name}.yaml", 3, "requirements", "must be a non-empty list") };

        var (missing, _) = await ReportHarness.RunReportAsync(Generator(scenario, new InMemoryGoalSource()), run.Id);
        var (invalid, _) = await ReportHarness.RunReportAsync(Generator(scenario, broken), run.Id);

        ReportHarness.Parse(missing).GetElementById("goal")!.TextContent.Should().Contain("there is no goal file for it");
        var section = ReportHarness.Parse(invalid).GetElementById("goal")!;
        section.TextContent.Should().Contain("cannot be read").And.Contain("must be a non-empty list");
        ReportHarness.Parse(invalid).GetElementById("summary").Should().NotBeNull();
    }

    private static HtmlReportGenerator Generator(RunScenario scenario, IGoalSource? goals) =>
        new(new ReportSources(scenario.Runs, scenario.Runs, scenario.Datasets, scenario.Clusters, scenario.Suggestions, goals));

    private static List<string> Cells(AngleSharp.Dom.IElement row) => row.QuerySelectorAll("td").Select(c => c.TextContent).ToList();

    private static GoalDefinition Goal() => new()
    {
        Name = GoalName,
        Description = "Route well. " + ScriptPayload,
        Experiments = ["demo", "other"],
        Requirements =
        [
            new GoalRequirement("overall", ImagePayload, 0.7, [new GoalCoverage("demo", "exact-match", null), new GoalCoverage("demo", "contains", null)], 1),
            new GoalRequirement("alpha-slice", "alpha only", 0.6, [new GoalCoverage("demo", "exact-match", new Dictionary<string, string> { ["topic"] = "alpha" })], 2),
            new GoalRequirement("no-target", "reported only", null, [new GoalCoverage("demo", "exact-match", null)], 3),
            new GoalRequirement("other-experiment-only", "elsewhere", 0.9, [new GoalCoverage("other", "exact-match", null)], 4),
            new GoalRequirement("uncovered", "nobody measures this", 0.9, [], 5),
        ],
    };

    /// <summary>
    /// Two runs of "demo" over four cases (topics alpha, alpha, beta, beta), contains passing everywhere: exact-match
    /// fails the second alpha case in the earlier run (75%, alpha 50%) and both alpha cases in the reported one (50%, alpha 0%).
    /// </summary>
    private static async Task<(RunScenario Scenario, Core.Runs.RunRecord Earlier, Core.Runs.RunRecord Run)> CreateAsync(string goal = GoalName)
    {
        var scenario = new RunScenario();
        var cases = new[] { "alpha", "alpha", "beta", "beta" }
            .Select((topic, i) => RunScenario.Case($"c{i}", "message " + i, topic, $$"""{"topic": "{{topic}}"}"""))
            .ToList();
        var dataset = await scenario.AddDatasetAsync(cases);
        var experiment = RunScenario.Experiment(scorers: ["exact-match", "contains"], goal: goal);
        var earlier = await scenario.AddRunAsync(experiment, dataset, cases, (_, i) => ExactMatch(i != 1), Time("2026-11-28T12:00:00Z"), "run-earlier");
        var run = await scenario.AddRunAsync(experiment, dataset, cases, (_, i) => ExactMatch(i >= 2), Time("2026-11-29T12:00:00Z"), "run-current");
        return (scenario, earlier, run);

        static ScenarioResult ExactMatch(bool passed) => new("out", passed)
        {
            Scores = [new("exact-match", passed ? 1 : 0, passed, null, null), new("contains", 1, true, null, null)],
        };
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
