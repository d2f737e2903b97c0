using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Core.Tests.Running;

public sealed class RunStatisticsTests
{
    [Fact]
    public async Task AddsA95PercentBootstrapIntervalAroundEachScorersMeanAndPassRate()
    {
        // Arrange: 200 cases, "exact" passes 3 in 4 of them; "length" scores i/200.
        var store = new InMemoryRunStore();
        await store.AppendAsync(Enumerable.Range(0, 200).Select(i => Result("r", $"c{i}", i, 1,
            new ScoreRecord("exact", i % 4 == 0 ? 0 : 1, i % 4 != 0, null, null),
            new ScoreRecord("length", i / 200.0, i >= 100, null, null))).ToList());

        // Act
        var summary = await store.SummarizeWithStatisticsAsync("r");

        // Assert
        var exact = summary.Scorers.Single(s => s.Scorer == "exact");
        exact.Mean.Should().Be(0.75);
        exact.MeanInterval!.Lower.Should().BeInRange(0.66, 0.75);
        exact.MeanInterval.Upper.Should().BeInRange(0.75, 0.84);
        exact.PassRate.Should().Be(0.75);
        exact.PassRateInterval!.Lower.Should().BeInRange(0.66, 0.75);
        exact.PassRateInterval.Upper.Should().BeInRange(0.75, 0.84);
        var length = summary.Scorers.Single(s => s.Scorer == "length");
        length.MeanInterval!.Lower.Should().BeLessThan(length.Mean!.Value);
        length.MeanInterval.Upper.Should().BeGreaterThan(length.Mean.Value);
        (length.MeanInterval.Upper - length.MeanInterval.Lower).Should().BeInRange(0.05, 0.12, "the standard error of a uniform mean over 200 cases is about 0.02");
        exact.MeanTrialVariance.Should().BeNull("one trial has no variance");
        summary.UnstableCases.Should().BeEmpty();
    }

    [Fact]
    public async Task IsDeterministicForARun()
    {
        var store = new InMemoryRunStore();
        await store.AppendAsync(Enumerable.Range(0, 30).Select(i => Result("r", $"c{i}", i, 1, new ScoreRecord("s", i % 3 / 2.0, i % 3 == 2, null, null))).ToList());

        var first = await store.SummarizeWithStatisticsAsync("r");
        var second = await store.SummarizeWithStatisticsAsync("r");

        second.Scorers.Single().MeanInterval.Should().Be(first.Scorers.Single().MeanInterval);
    }

    [Fact]
    public async Task ResamplesCasesNotTrialsAndReportsTheCasesThatVaryAcrossTrials()
    {
        // Arrange: 3 trials; c0 is stable at 1, c1 flips 1/0/1, c2 is 0/0.5/1 and c3 errored in one trial.
        var store = new InMemoryRunStore();
        double?[][] scores = [[1, 1, 1], [1, 0, 1], [0, 0.5, 1], [1, null, 1]];
        var results = new List<CaseResult>();
        for (var c = 0; c < scores.Length; c++)
        {
            for (var t = 0; t < 3; t++)
            {
                var s = scores[c][t];
                results.Add(Result("r", $"c{c}", c, t + 1, new ScoreRecord("s", s, s == 1, null, s is null ? "boom" : null)));
            }
        }

        await store.AppendAsync(results);

        // Act
        var summary = await store.SummarizeWithStatisticsAsync("r");

        // Assert
        var figures = summary.Scorers.Single();
        figures.UnstableCaseCount.Should().Be(2);
        figures.MeanTrialVariance.Should().BeApproximately(((2.0 / 9) + (1.0 / 6)) / 4, 1e-12);
        summary.UnstableCases.Select(u => u.CaseId).Should().Equal("c1", "c2");
        summary.UnstableCases[0].Scores.Should().Equal(1, 0, 1);
        summary.UnstableCases[0].Variance.Should().BeApproximately(2.0 / 9, 1e-12);
        figures.MeanInterval!.Lower.Should().BeLessThanOrEqualTo(figures.Mean!.Value);
        figures.MeanInterval.Upper.Should().BeGreaterThanOrEqualTo(figures.Mean.Value);
    }

    [Fact]
    public async Task AddsUpTheJudgeCallsApartFromTheTask()
    {
        var store = new InMemoryRunStore();
        await store.AppendAsync(
        [
            Result("r", "a", 0, 1, new ScoreRecord("judge", 1, true, "Y", null, new JudgeUsage(100, 10, 0.002m))),
            Result("r", "b", 1, 1, new ScoreRecord("judge", null, false, null, "unparseable", new JudgeUsage(90, 5, 0.001m))),
            Result("r", "c", 2, 1, new ScoreRecord("judge", 1, true, "Y", null, new JudgeUsage(100, 10, 0m, CacheHit: true))),
            Result("r", "d", 3, 1, new ScoreRecord("exact", 1, true, null, null)),
        ]);

        var summary = await store.SummarizeWithStatisticsAsync("r");

        summary.Should().BeEquivalentTo(new { JudgeCalls = 3, JudgeInputTokens = 290L, JudgeOutputTokens = 25L, JudgeCost = 0.003m, JudgeCacheHits = 1, InputTokens = 40L }, o => o.ExcludingMissingMembers());
    }

    [Fact]
    public async Task LeavesTheIntervalEmptyForAScorerThatScoredNothing()
    {
        var store = new InMemoryRunStore();
        await store.AppendAsync([Result("r", "a", 0, 1, new ScoreRecord("s", null, false, null, "no expected value"))]);

        var figures = (await store.SummarizeWithStatisticsAsync("r")).Scorers.Single();

        figures.MeanInterval.Should().BeNull();
        figures.PassRateInterval.Should().Be(new ConfidenceInterval(0, 0));
    }

    private static CaseResult Result(string run, string caseId, int ordinal, int trial, params ScoreRecord[] scores) => new()
    {
        RunId = run,
        CaseId = caseId,
        Ordinal = ordinal,
        Trial = trial,
        Output = "x",
        Scores = scores,
        Passed = scores.All(s => s.Passed),
        InputTokens = 10,
        CompletedAt = DateTimeOffset.UnixEpoch,
    };
}
