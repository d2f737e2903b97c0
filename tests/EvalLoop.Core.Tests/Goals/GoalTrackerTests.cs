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
    private readonly List<string> _datasetVersions = [];

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

    private Task<string> RunAsync(int minute, params bool[] passes) => RunAsync(minute, "p", passes);

    private Task<string> RunAsync(int minute, string prompt, params bool[] passes) => RunAsync(minute, prompt, dataset: 0, split: null, passes);

    /// <summary>A completed full run of "exp" with one exact-match verdict per case, on dataset version <paramref name="dataset"/> (0, 1, ...) and <paramref name="split"/>.</summary>
    private async Task<string> RunAsync(int minute, string prompt, int dataset, string? split, params bool[] passes)
    {
        while (_datasetVersions.Count <= dataset)
        {
            // Each version's inputs differ, so each is its own dataset version.
            var version = _datasetVersions.Count;
            var cases = Enumerable.Range(0, passes.Length).Select(i => new DatasetCase(
                $"c{i}", JsonSerializer.SerializeToElement($"q{version}"), JsonSerializer.SerializeToElement("a"),
                JsonSerializer.SerializeToElement(new { topic = i < 2 ? "geo" : "math" }), split)).ToList();
            _datasetVersions.Add((await _datasets.SaveAsync("d", cases, null)).Version);
        }

        var id = $"run-{minute}";
        await _runs.SaveRunAsync(new RunRecord
        {
            Id = id, ExperimentName = "exp", ExperimentJson = "{}", PromptVersion = prompt, DatasetName = "d", DatasetVersion = _datasetVersions[dataset], Split = split,
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
        // Arrange: run 1 misses 75%, run 2 (a newly approved prompt) meets it, run 3 (the same prompt) misses again.
        var first = await RunAsync(1, "p1", true, false, false, false);
        var second = await RunAsync(2, "p2", true, true, true, false);
        var third = await RunAsync(3, "p2", false, true, false, false);
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

    private static GoalDefinition TargetlessGoal(double? otherTarget)
    {
        var requirements = new List<GoalRequirement>
        {
            new("right-intent", "Route each message to the right intent", null, [new GoalCoverage("exp", "exact-match", null)], 1),
        };
        if (otherTarget is { } t)
        {
            requirements.Add(new GoalRequirement("accurate", "accuracy >= " + t, t, [new GoalCoverage("exp", "exact-match", null)], 2));
        }

        return new GoalDefinition { Name = "routing", Description = "Route each message to the right intent", Experiments = ["exp"], Requirements = requirements };
    }

    [Fact]
    public async Task ACoveredRequirementWithoutATargetShowsItsScoreButIsNeverMet()
    {
        // Arrange: 1 of 4 right, far from any sensible target.
        var run = await RunAsync(1, true, false, false, false);
        var tracker = new GoalTracker(_runs, _runs, _datasets);

        // Act
        var alone = await tracker.EvaluateAsync(TargetlessGoal(otherTarget: null));
        var atRun = await tracker.EvaluateRunAsync(TargetlessGoal(otherTarget: null), (await _runs.GetRunAsync(run))!);

        // Assert
        var requirement = alone.Requirements.Single();
        requirement.Status.Should().Be(GoalStatus.NoTarget);
        requirement.Coverage.Single().Status.Should().Be(GoalStatus.NoTarget);
        requirement.Coverage.Single().PassRate.Should().Be(0.25, "the latest score is still shown");
        requirement.Coverage.Single().LatestRunId.Should().Be(run);
        alone.Status.Should().Be(GoalStatus.NoTarget, "a goal with no target at all is not met, whatever the score");
        atRun.Single().Status.Should().Be(GoalStatus.NoTarget);
    }

    [Fact]
    public async Task AGoalIsMetOnlyWhenEveryTargetIsMetAndATargetlessRequirementDoesNotSpoilIt()
    {
        // Arrange: 3 of 4 right.
        await RunAsync(1, true, true, true, false);
        var tracker = new GoalTracker(_runs, _runs, _datasets);

        // Act
        var met = await tracker.EvaluateAsync(TargetlessGoal(otherTarget: 0.75));
        var missed = await tracker.EvaluateAsync(TargetlessGoal(otherTarget: 0.8));

        // Assert
        met.Requirements.Select(r => r.Status).Should().Equal(GoalStatus.NoTarget, GoalStatus.Met);
        met.Status.Should().Be(GoalStatus.Met);
        missed.Requirements.Select(r => r.Status).Should().Equal(GoalStatus.NoTarget, GoalStatus.Missed);
        missed.Status.Should().Be(GoalStatus.Missed);
    }

    [Theory]
    [InlineData(new[] { "no-target" }, "no-target")]
    [InlineData(new[] { "no-target", "no-target" }, "no-target")]
    [InlineData(new[] { "met", "no-target" }, "met")]
    [InlineData(new[] { "met", "met" }, "met")]
    [InlineData(new[] { "met", "no-target", "uncovered" }, "uncovered")]
    [InlineData(new[] { "no-target", "not-run" }, "not-run")]
    [InlineData(new[] { "met", "missed", "no-target" }, "missed")]
    [InlineData(new[] { "missed", "regressed" }, "regressed")]
    [InlineData(new string[0], "uncovered")]
    public void TheOverallStatusIsTheWorstAndMetNeedsAtLeastOneTarget(string[] statuses, string expected) =>
        GoalStatus.Overall(statuses).Should().Be(expected);

    [Fact]
    public async Task ARunOnAnotherDatasetVersionIsNeverTheBaseline()
    {
        // Arrange: the target was met on dataset version 0; the data changed, and the first run on the new version misses.
        await RunAsync(1, "p", dataset: 0, split: null, true, true, true, false);
        await RunAsync(2, "p", dataset: 1, split: null, false, true, false, false);
        var tracker = new GoalTracker(_runs, _runs, _datasets);

        // Act
        var report = await tracker.EvaluateAsync(Goal());

        // Assert
        var accurate = report.Requirements[0].Coverage.Single();
        accurate.Status.Should().Be(GoalStatus.Missed, "a pass rate on other data is not comparable, so nothing regressed");
        accurate.BaselineRunId.Should().BeNull();
    }

    [Fact]
    public async Task ARunOnAnotherSplitIsNeverTheBaselineButOneOnTheSameSplitIs()
    {
        // Arrange: met on the dev split; on the test split the first run got half right and the latest a quarter.
        await RunAsync(1, "p", dataset: 0, split: "dev", true, true, true, true);
        var firstOnTest = await RunAsync(2, "p", dataset: 0, split: "test", true, true, false, false);
        var latest = await RunAsync(3, "p", dataset: 0, split: "test", false, false, true, false);
        var tracker = new GoalTracker(_runs, _runs, _datasets);

        // Act
        var report = await tracker.EvaluateAsync(Goal());
        var baseline = RunBaseline.Choose((await _runs.GetRunAsync(latest))!, await _runs.ListRunsAsync("exp", "full", 10));

        // Assert
        var accurate = report.Requirements[0].Coverage.Single();
        accurate.LatestRunId.Should().Be(latest);
        accurate.Status.Should().Be(GoalStatus.Missed, "the dev run that met the target is on another split");
        accurate.BaselineRunId.Should().BeNull();
        baseline!.Id.Should().Be(firstOnTest);
    }

    [Fact]
    public async Task TheBaselineIsTheFirstRunOfTheApprovedPromptVersionNotTheBestEarlierRun()
    {
        // Arrange: prompt p2 started below the target, once reached it by chance, and misses again; p1 met it long ago.
        await RunAsync(1, "p1", true, true, true, true);
        var firstOfP2 = await RunAsync(2, "p2", true, true, false, false);
        await RunAsync(3, "p2", true, true, true, false);
        await RunAsync(4, "p2", true, false, true, false);
        var tracker = new GoalTracker(_runs, _runs, _datasets);

        // Act
        var report = await tracker.EvaluateAsync(Goal());
        var baseline = RunBaseline.Choose((await _runs.GetRunAsync("run-4"))!, await _runs.ListRunsAsync("exp", "full", 10));

        // Assert
        baseline!.Id.Should().Be(firstOfP2);
        report.Requirements[0].Coverage.Single().Status.Should().Be(GoalStatus.Missed, "the approved version's baseline never met the target");
    }

    [Fact]
    public async Task ARunFlaggedAsARegressionIsNotABaseline()
    {
        // Arrange: a new prompt's first run met the target but was flagged; the next run of a newer prompt misses.
        var good = await RunAsync(1, "p1", true, true, true, false);
        var flagged = await RunAsync(2, "p2", true, true, true, true);
        await RunAsync(3, "p3", false, false, true, false);
        var regressions = new InMemoryRegressionStore();
        await regressions.SaveAsync([new RunRegression(flagged, good, "exp", "exact-match", 0.9, 0.5, 0.01, 4, DateTimeOffset.UnixEpoch)]);

        // Act
        var withFlags = await new GoalTracker(_runs, _runs, _datasets, regressions).EvaluateAsync(Goal());
        var withoutFlags = await new GoalTracker(_runs, _runs, _datasets).EvaluateAsync(Goal());

        // Assert
        withFlags.Requirements[0].Coverage.Single().BaselineRunId.Should().Be(good);
        withoutFlags.Requirements[0].Coverage.Single().BaselineRunId.Should().Be(flagged);
    }
}
