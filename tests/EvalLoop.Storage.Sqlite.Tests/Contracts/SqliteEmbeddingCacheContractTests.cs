namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteEmbeddingCacheContractTests : EmbeddingCacheContract<SqliteEmbeddingCache>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteEmbeddingCache> CreateStoreAsync() => Task.FromResult(new SqliteEmbeddingCache(_database.Database));

    public void Dispose() => _database.Dispose();
}
