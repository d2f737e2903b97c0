using Dapper;
using EvalLoop.Core.Datasets;
using Microsoft.Extensions.Time.Testing;

namespace EvalLoop.Storage.Sqlite.Tests;

/// <summary>What the SQLite dataset store does beyond the contract.</summary>
public sealed class SqliteDatasetStoreTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero));
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task StoresTheCasesOfIdenticalContentOnceForEveryName()
    {
        var store = new SqliteDatasetStore(_database.Database, _time);
        var cases = Enumerable.Range(0, 10).Select(i => new DatasetCase($"c{i}", JsonText.Parse($"\"{i}\""), null, null, null)).ToList();

        await store.SaveAsync("first", cases, null);
        await store.SaveAsync("second", cases, null);
        await store.SaveAsync("first", cases, null);

        await using var connection = await _database.Database.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dataset_cases")).Should().Be(10);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM datasets")).Should().Be(2);
    }

    [Fact]
    public async Task ListsVersionsSavedAtTheSameInstantNewestSaveFirst()
    {
        var store = new SqliteDatasetStore(_database.Database, _time);

        var first = await store.SaveAsync("qa", [new DatasetCase("a", JsonText.Parse("\"1\""), null, null, null)], null);
        var second = await store.SaveAsync("qa", [new DatasetCase("a", JsonText.Parse("\"2\""), null, null, null)], null);

        (await store.ListVersionsAsync("qa")).Select(v => v.Version).Should().Equal(second.Version, first.Version);
    }

    public void Dispose() => _database.Dispose();
}
