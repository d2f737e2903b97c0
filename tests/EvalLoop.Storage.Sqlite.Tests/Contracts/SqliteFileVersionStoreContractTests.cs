using EvalLoop.Core.Versions;

namespace EvalLoop.Storage.Sqlite.Tests.Contracts;

public sealed class SqliteFileVersionStoreContractTests : FileVersionStoreContract<SqliteFileVersionStore>, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<SqliteFileVersionStore> CreateStoreAsync() => Task.FromResult(new SqliteFileVersionStore(_database.Database));

    [Fact]
    public async Task RefusesAVersionWhoseHashDoesNotMatchItsContent()
    {
        var store = await CreateStoreAsync();
        var version = new FileVersion { Kind = FileVersionKinds.Dataset, Name = "d", Path = "datasets/d.jsonl", Sha256 = "0000", Content = "x", CreatedBy = "t", CreatedAt = DateTimeOffset.UnixEpoch };

        await FluentActions.Awaiting(() => store.RecordChangeAsync(version, version, _ => Task.CompletedTask)).Should().ThrowAsync<ArgumentException>();
    }

    public void Dispose() => _database.Dispose();
}
