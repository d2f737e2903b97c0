using Dapper;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;

namespace EvalLoop.Storage.Sqlite.Tests;

/// <summary>Migration 0004: each model-graded verdict keeps its judge call's tokens, cost and cache hit.</summary>
public sealed class SqliteJudgeUsageTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task StoresAndReadsBackTheJudgeUsageOfEachVerdictAndNothingForOtherScores()
    {
        // Arrange
        var store = new SqliteRunStore(_database.Database);
        await store.SaveRunAsync(new RunRecord
        {
            Id = "run-1",
            ExperimentName = "qa",
            ExperimentJson = "{}",
            PromptVersion = "p",
            DatasetName = "d",
            DatasetVersion = "v",
            Provider = "openai",
            Model = "m",
            Status = RunStatus.Completed,
            StartedAt = DateTimeOffset.UnixEpoch,
        });
        var judged = new ScoreRecord("factuality", 0.6, true, "B: superset", null, new JudgeUsage(812, 64, 0.000160200m, CacheHit: false));
        var cached = new ScoreRecord("helpful", null, false, null, "unparseable judge reply", new JudgeUsage(700, 9, 0m, CacheHit: true));
        var plain = new ScoreRecord("exact", 1, true, "equal", null);
        await store.AppendAsync([new CaseResult
        {
            RunId = "run-1",
            CaseId = "a",
            Output = "Paris",
            Scores = [judged, cached, plain],
            CompletedAt = DateTimeOffset.UnixEpoch,
        }]);

        // Act
        var read = await store.ReadAsync("run-1").SingleAsync();
        var summary = await store.SummarizeWithStatisticsAsync("run-1");

        // Assert
        read.Scores.Should().Equal(judged, cached, plain);
        read.Scores[0].Judge!.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("0.000160200", "costs are exact decimals");
        summary.JudgeCalls.Should().Be(2);
        summary.JudgeInputTokens.Should().Be(1512);
        summary.JudgeCost.Should().Be(0.0001602m);
        summary.JudgeCacheHits.Should().Be(1);
        await using var connection = await _database.Database.OpenConnectionAsync();
        (await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM case_scores WHERE judge_input_tokens IS NULL")).Should().Be(1);
        (await connection.QuerySingleAsync<string>("SELECT name FROM schema_migrations WHERE version = 4")).Should().Be("judge_usage");
    }
}
