namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteRunStoreContractTests : RunStoreContract<SqliteRunStore>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteRunStore> CreateStoreAsync() => Task.FromResult(new SqliteRunStore(_database.Database));

    public void Dispose() => _database.Dispose();
}
