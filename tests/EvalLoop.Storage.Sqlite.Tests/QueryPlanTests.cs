namespace EvalLoop.Storage.Sqlite.Tests;

public sealed class QueryPlanTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Theory]
    [InlineData("run results")]
    [InlineData("dataset cases")]
    [InlineData("dataset cases of one split")]
    public async Task StreamingReadsWalkAnIndexInsteadOfSortingEveryRow(string read)
    {
        var sql = read switch
        {
            "run results" => SqliteRunStore.ReadResultsSql,
            "dataset cases" => SqliteDatasetStore.ReadCasesSql,
            _ => SqliteDatasetStore.ReadSplitCasesSql,
        };

        var plan = await PlanAsync(sql);

        plan.Should().NotContain(step => step.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal), "a full sort would read the whole run or dataset before yielding the first row");
        plan.Should().NotContain(step => step.StartsWith("SCAN", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal), "no table scan");
    }

    private async Task<List<string>> PlanAsync(string sql)
    {
        await using var connection = await _database.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("$runId", "run");
        command.Parameters.AddWithValue("$version", "v");
        command.Parameters.AddWithValue("$split", "test");
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
