namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteResponseCacheContractTests : ResponseCacheContract<SqliteResponseCache>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteResponseCache> CreateStoreAsync() => Task.FromResult(new SqliteResponseCache(_database.Database));

    public void Dispose() => _database.Dispose();
}
