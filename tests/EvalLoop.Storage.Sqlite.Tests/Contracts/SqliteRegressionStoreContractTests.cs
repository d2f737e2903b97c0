namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteRegressionStoreContractTests : RegressionStoreContract<SqliteRegressionStore>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteRegressionStore> CreateStoreAsync() => Task.FromResult(new SqliteRegressionStore(_database.Database));

    protected override Task AddRunAsync(string runId, DateTimeOffset startedAt) =>
        new SqliteRunStore(_database.Database).SaveRunAsync(SuggestionTestRuns.Run(runId, startedAt));

    [Fact]
    public async Task ForgetsTheRegressionsOfADeletedRun()
    {
        var store = await CreateStoreAsync();
        await AddRunAsync("run-1", DateTimeOffset.UnixEpoch);
        await AddRunAsync("run-2", DateTimeOffset.UnixEpoch.AddHours(1));
        await store.SaveAsync([new Core.Runs.RunRegression("run-2", "run-1", "qa", "exact-match", 1, 0, 0.01, 8, DateTimeOffset.UnixEpoch)]);

        await using (var connection = await _database.Database.OpenConnectionAsync())
        {
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM runs WHERE id = 'run-2'";
            await delete.ExecuteNonQueryAsync();
        }

        (await store.ListNewestRunsAsync()).Should().BeEmpty();
    }

    public void Dispose() => _database.Dispose();
}
