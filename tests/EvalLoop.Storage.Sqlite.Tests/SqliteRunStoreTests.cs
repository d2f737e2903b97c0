using System.Globalization;
using Dapper;
using EvalLoop.Core.Runs;

namespace EvalLoop.Storage.Sqlite.Tests;

/// <summary>What the SQLite run store does beyond the contract: exact storage formats, concurrency, referential integrity.</summary>
public sealed class SqliteRunStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task KeepsEveryTickOfATimestampAndTheScaleOfACost()
    {
        var store = new SqliteRunStore(_database.Database);
        var completedAt = new DateTimeOffset(2025, 3, 1, 11, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        await store.SaveRunAsync(Run("run-1") with { StartedAt = completedAt });
        await store.AppendAsync([Result("run-1", "a", 0) with { Cost = 1.50m, CompletedAt = completedAt }]);

        var run = await store.GetRunAsync("run-1");
        var result = await store.ReadAsync("run-1").SingleAsync();

        run!.StartedAt.UtcTicks.Should().Be(completedAt.UtcTicks);
        result.CompletedAt.UtcTicks.Should().Be(completedAt.UtcTicks);
        result.CompletedAt.Offset.Should().Be(TimeSpan.Zero, "timestamps are stored in UTC");
        result.Cost.ToString(CultureInfo.InvariantCulture).Should().Be("1.50");
        await using var connection = await _database.Database.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<string>("SELECT completed_at FROM case_results")).Should().Be("2025-03-01T09:30:00.1234567Z");
    }

    [Fact]
    public async Task ReadsARunWhileAnotherConnectionAppendsToIt()
    {
        var store = new SqliteRunStore(_database.Database);
        await store.SaveRunAsync(Run("run-1"));
        await store.AppendAsync(Enumerable.Range(0, 100).Select(i => Result("run-1", $"a{i:D3}", i)).ToList());

        var seen = 0;
        await foreach (var _ in store.ReadAsync("run-1"))
        {
            if (seen++ == 0)
            {
                // The reader holds its snapshot open; the writer must not wait for it.
                await store.AppendAsync(Enumerable.Range(100, 100).Select(i => Result("run-1", $"b{i:D3}", i)).ToList());
            }
        }

        seen.Should().Be(100, "the open read sees the snapshot it started with");
        (await store.ReadAsync("run-1").CountAsync()).Should().Be(200);
    }

    [Fact]
    public async Task RejectsResultsOfARunThatWasNeverSaved()
    {
        var store = new SqliteRunStore(_database.Database);

        var append = () => store.AppendAsync([Result("unknown", "a", 0)]);

        await append.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>().Where(e => e.SqliteErrorCode == 19, "a foreign key constraint fails");
    }

    [Fact]
    public async Task ListsRunsStartedAtTheSameInstantInTheOrderTheyWereSaved()
    {
        var store = new SqliteRunStore(_database.Database);
        await store.SaveRunAsync(Run("b"));
        await store.SaveRunAsync(Run("a"));
        await store.SaveRunAsync(Run("c"));
        await store.SaveRunAsync(Run("b") with { Status = RunStatus.Completed });

        var runs = await store.ListRunsAsync();

        runs.Select(r => r.Id).Should().Equal(["c", "a", "b"], "the later save comes first, and an update does not move a run");
    }

    private static RunRecord Run(string id) => new()
    {
        Id = id,
        ExperimentName = "qa",
        ExperimentJson = "{}",
        PromptVersion = "p",
        DatasetName = "qa",
        DatasetVersion = "v",
        Provider = "offline",
        Model = "echo",
        Status = RunStatus.Running,
        StartedAt = Start,
    };

    private static CaseResult Result(string runId, string caseId, int ordinal) => new()
    {
        RunId = runId,
        CaseId = caseId,
        Ordinal = ordinal,
        Trial = 1,
        Output = "x",
        Passed = true,
        Scores = [new ScoreRecord("exact", 1, true, null, null)],
        CompletedAt = Start,
    };

    public void Dispose() => _database.Dispose();
}
