namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteDatasetStoreContractTests : DatasetStoreContract<SqliteDatasetStore>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteDatasetStore> CreateStoreAsync() => Task.FromResult(new SqliteDatasetStore(_database.Database, Time));

    public void Dispose() => _database.Dispose();
}
