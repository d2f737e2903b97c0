namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteClusterStoreContractTests : ClusterStoreContract<SqliteClusterStore>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteClusterStore> CreateStoreAsync() => Task.FromResult(new SqliteClusterStore(_database.Database));

    protected override Task AddRunAsync(string runId) => new SqliteRunStore(_database.Database).SaveRunAsync(SuggestionTestRuns.Run(runId, Start));

    public void Dispose() => _database.Dispose();
}
