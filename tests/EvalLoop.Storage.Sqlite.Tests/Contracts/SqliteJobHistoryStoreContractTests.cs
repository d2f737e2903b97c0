namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteJobHistoryStoreContractTests : JobHistoryStoreContract<SqliteJobHistoryStore>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteJobHistoryStore> CreateStoreAsync() => Task.FromResult(new SqliteJobHistoryStore(_database.Database));

    public void Dispose() => _database.Dispose();
}
