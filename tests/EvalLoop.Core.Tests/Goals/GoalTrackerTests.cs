using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Runs;
using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Core.Tests.Goals;

public sealed class GoalTrackerTests
{
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryDatasetStore _datasets = new();
    private string _datasetVersion = string.Empty;

    private static GoalDefinition Goal() => new()
    {
        Name = "routing",
        Description = "route right",
        Experiments = ["exp"],
        Requirements =
        [
            new GoalRequirement("accurate", "accuracy >= 0.75", 0.75, [new GoalCoverage("exp", "exact-match", null)], 1),
            new GoalRequirement("geo", "geo questions right", 0.75, [new GoalCoverage("exp", "exact-match", new Dictionary<string, string> { ["topic"] = "geo" })], 2),
            new GoalRequirement("safe", "never reveals an account number", null, [], 3),
        ],
    };

    private async Task<string> RunAsync(int minute, params bool[] passes)
    {
        if (_datasetVersion.Length == 0)
        {
            var cases = Enumerable.Range(0, passes.Length).Select(i => new DatasetCase(
                $"c{i}", JsonSerializer.SerializeToElement("q"), JsonSerializer.SerializeToElement("a"),
                JsonSerializer.SerializeToElement(new { topic = i < 2 ? "geo" : "math" }), null)).ToList();
            _datasetVersion = (await _datasets.SaveAsync("d", cases, null)).Version;
        }

        var id = $"run-{minute}";
        await _runs.SaveRunAsync(new RunRecord
        {
            Id = id, ExperimentName = "exp", ExperimentJson = "{}", PromptVersion = "p", DatasetName = "d", DatasetVersion = _datasetVersion,
            Provider = "offline", Model = "m", Status = RunStatus.Completed, StartedAt = new DateTimeOffset(2026, 11, 29, 12, minute, 0, TimeSpan.Zero),
        });
        await _runs.AppendAsync(passes.Select((p, i) => new CaseResult
        {
            RunId = id, CaseId = $"c{i}", Ordinal = i, Output = "x", Passed = p,
            Scores = [new ScoreRecord("exact-match", p ? 1 : 0, p, null, null)],
        }).ToList());
        return id;
    }

    [Fact]
    public async Task ComputesCoverageFromTheExplicitMappingAndFlagsUncoveredRequirements()
    {
        // Arrange
        await RunAsync(1, true, true, true, false);
        var tracker = new GoalTracker(_runs, _runs, _datasets);

        // Act
        var report = await tracker.EvaluateAsync(Goal());

        // Assert
        report.Requirements[0].Coverage.Single().PassRate.Should().Be(0.75);
        report.Requirements[0].Status.Should().Be(GoalStatus.Met);
        report.Requirements[1].Coverage.Single().Cases.Should().Be(2, "only the cases whose metadata match the slice count");
        report.Requirements[1].Coverage.Single().PassRate.Should().Be(1);
        report.Requirements[2].Status.Should().Be(GoalStatus.Uncovered);
        report.Status.Should().Be(GoalStatus.Uncovered, "every covered requirement is met, but one is not measured at all");
    }

    [Fact]
    public async Task AMetRequirementBecomesRegressedWhenALaterRunFallsBelowItsTarget()
    {
        // Arrange
        var tracker = new GoalTracker(_runs, _runs, _datasets);
        var first = await RunAsync(1, true, true, true, false);
        var before = await tracker.EvaluateAsync(Goal());
        await RunAsync(2, false, true, false, false);

        // Act
        var after = await tracker.EvaluateAsync(Goal());

        // Assert
        before.Requirements[0].Status.Should().Be(GoalStatus.Met);
        var accurate = after.Requirements[0].Coverage.Single();
        accurate.Status.Should().Be(GoalStatus.Regressed);
        accurate.PassRate.Should().Be(0.25);
        accurate.BaselineRunId.Should().Be(first);
        accurate.BaselinePassRate.Should().Be(0.75);
        after.Status.Should().Be(GoalStatus.Regressed);
    }

    [Fact]
    public async Task ARequirementNeverMetIsMissedAndOneNeverRunIsNotRun()
    {
        // Arrange
        var tracker = new GoalTracker(_runs, _runs, _datasets);
        var unrun = await tracker.EvaluateAsync(Goal());
        await RunAsync(1, false, false, true, false);

        // Act
        var report = await tracker.EvaluateAsync(Goal());

        // Assert
        unrun.Requirements[0].Status.Should().Be(GoalStatus.NotRun);
        report.Requirements[0].Status.Should().Be(GoalStatus.Missed);
        report.Status.Should().Be(GoalStatus.Missed);
    }

    [Fact]
    public async Task MeasuresAGivenRunAgainstOnlyTheRunsBeforeIt()
    {
        // Arrange: run 1 misses 75%, run 2 meets it, run 3 misses again.
        var first = await RunAsync(1, true, false, false, false);
        var second = await RunAsync(2, true, true, true, false);
        var third = await RunAsync(3, false, true, false, false);
        var tracker = new GoalTracker(_runs, _runs, _datasets);
        var runOf = async (string id) => (await _runs.GetRunAsync(id))!;

        // Act
        var atFirst = await tracker.EvaluateRunAsync(Goal(), await runOf(first));
        var atSecond = await tracker.EvaluateRunAsync(Goal(), await runOf(second));
        var atThird = await tracker.EvaluateRunAsync(Goal(), await runOf(third));

        // Assert
        atFirst.Select(r => r.Requirement.Id).Should().Equal(["accurate", "geo"], "the uncovered requirement is not this experiment's to report");
        atFirst[0].Status.Should().Be(GoalStatus.Missed, "the later run that met the target does not count for an earlier run");
        atFirst[0].Coverage[0].PassRate.Should().Be(0.25);
        atSecond[0].Status.Should().Be(GoalStatus.Met);
        atSecond[0].Coverage[0].LatestRunId.Should().Be(second);
        atThird[0].Status.Should().Be(GoalStatus.Regressed);
        atThird[0].Coverage[0].BaselineRunId.Should().Be(second);
        atThird[1].Coverage[0].PassRate.Should().Be(0.5, "the geo slice is the first two cases");
    }

    [Fact]
    public async Task TracesACoveringScorersPassRateOverRecentRunsOldestFirst()
    {
        // Arrange
        var first = await RunAsync(1, true, false, false, false);
        var second = await RunAsync(2, true, true, true, false);
        var third = await RunAsync(3, true, true, true, true);
        var tracker = new GoalTracker(_runs, _runs, _datasets);
        var geo = Goal().Requirements[1].CoveredBy[0];

        // Act
        var lastTwo = await tracker.TrendAsync(Goal().Requirements[0].CoveredBy[0], runs: 2);
        var geoTrend = await tracker.TrendAsync(geo, runs: 10);

        // Assert
        lastTwo.Select(p => (p.RunId, p.PassRate)).Should().Equal((second, 0.75), (third, 1.0));
        geoTrend.Select(p => (p.RunId, p.PassRate, p.Cases)).Should().Equal((first, 0.5, 2), (second, 1.0, 2), (third, 1.0, 2));
    }
}
