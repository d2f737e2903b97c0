using EvalLoop.Core.Suggestions;

namespace EvalLoop.Storage.Sqlite.Tests;

public sealed class QueryPlanTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Theory]
    [InlineData("run results")]
    [InlineData("dataset cases")]
    [InlineData("dataset cases of one split")]
    [InlineData("suggestion history")]
    public async Task StreamingReadsWalkAnIndexInsteadOfSortingEveryRow(string read)
    {
        var sql = read switch
        {
            "run results" => SqliteRunStore.ReadResultsSql,
            "dataset cases" => SqliteDatasetStore.ReadCasesSql,
            "suggestion history" => SqliteSuggestionStore.ReadHistorySql,
            _ => SqliteDatasetStore.ReadSplitCasesSql,
        };

        var plan = await PlanAsync(sql);

        plan.Should().NotContain(step => step.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal), "a full sort would read the whole run or dataset before yielding the first row");
        plan.Should().NotContain(step => step.StartsWith("SCAN", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal), "no table scan");
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(SuggestionStatus.Pending, null, null)]
    [InlineData(null, "run-1", null)]
    [InlineData(null, null, "qa")]
    [InlineData(SuggestionStatus.Pending, null, "qa")]
    public async Task ListingSuggestionsNewestFirstWalksAnIndexInsteadOfSorting(string? status, string? runId, string? experimentName)
    {
        var sql = SqliteSuggestionStore.ListSql(new SuggestionQuery { Status = status, RunId = runId, ExperimentName = experimentName });

        var plan = await PlanAsync(sql);

        plan.Should().NotContain(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal), "the index gives the rows newest first");
        plan.Should().NotContain(step => step.StartsWith("SCAN", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal), "no table scan");
    }

    [Fact]
    public async Task ListingAnExperimentsJobHistoryNewestFirstWalksAnIndexInsteadOfSorting()
    {
        await using var connection = await _database.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteJobHistoryStore.ListSql;
        command.Parameters.AddWithValue("@experimentName", "qa");
        command.Parameters.AddWithValue("@limit", 20);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        plan.Should().NotContain(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal), "the index gives the rows newest first");
        plan.Should().Contain(step => step.Contains("ix_job_executions_experiment", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanAsync(string sql)
    {
        await using var connection = await _database.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("$runId", "run");
        command.Parameters.AddWithValue("$version", "v");
        command.Parameters.AddWithValue("$split", "test");
        command.Parameters.AddWithValue("$suggestionId", "s-1");
        command.Parameters.AddWithValue("@Status", SuggestionStatus.Pending);
        command.Parameters.AddWithValue("@RunId", "run-1");
        command.Parameters.AddWithValue("@ExperimentName", "qa");
        command.Parameters.AddWithValue("@Kind", SuggestionKinds.Prompt);
        command.Parameters.AddWithValue("@Limit", 100);
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }

    public void Dispose() => _database.Dispose();
}
