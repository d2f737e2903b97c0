using Dapper;
using EvalLoop.Core.Analysis;
using Microsoft.Extensions.DependencyInjection;

namespace EvalLoop.Storage.Sqlite.Tests;

/// <summary>What the contracts cannot see of the analysis tables: query plans, the stored format, the registrations.</summary>
public sealed class SqliteAnalysisStorageTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Theory]
    [InlineData("clusters")]
    [InlineData("members")]
    [InlineData("embeddings")]
    public async Task ReadsWalkAnIndexInsteadOfScanningOrSorting(string read)
    {
        var sql = read switch
        {
            "clusters" => SqliteClusterStore.ReadClustersSql,
            "members" => SqliteClusterStore.ReadMembersSql,
            _ => SqliteEmbeddingCache.GetManySql,
        };
        await using var connection = await _database.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("$runId", "run-1");
        command.Parameters.AddWithValue("$model", "m");
        command.Parameters.AddWithValue("$hashes", "[\"a\"]");
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        plan.Should().NotContain(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal), string.Join(" | ", plan));
        plan.Should().NotContain(step => step.StartsWith("SCAN", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal) && !step.Contains("json_each", StringComparison.Ordinal), string.Join(" | ", plan));
    }

    [Fact]
    public async Task StoresAVectorAsItsFloat32BytesWithItsDimensions()
    {
        var cache = new SqliteEmbeddingCache(_database.Database);

        await cache.SetManyAsync("m", [KeyValuePair.Create("h", new[] { 1f, -2f, 0.5f })]);

        await using var connection = await _database.Database.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(long Dimensions, byte[] Vector)>("SELECT dimensions, vector FROM embedding_cache WHERE model = 'm' AND text_hash = 'h'");
        row.Dimensions.Should().Be(3);
        row.Vector.Should().Equal(BitConverter.GetBytes(1f).Concat(BitConverter.GetBytes(-2f)).Concat(BitConverter.GetBytes(0.5f)));
    }

    [Fact]
    public async Task SavingAnAnalysisAgainLeavesNoRowsOfTheEarlierOne()
    {
        await new SqliteRunStore(_database.Database).SaveRunAsync(Contracts.SuggestionTestRuns.Run("run-1", DateTimeOffset.UnixEpoch));
        var store = new SqliteClusterStore(_database.Database);
        var members = Enumerable.Range(0, 50).Select(i => new ClusterMember($"c{i}")).ToList();
        var cluster = new FailureCluster("run-1-c0", 0, "n", "d", 1, members, [members[0]], "confusion", [], [], []);
        await store.SaveAsync(new ClusterAnalysis("run-1", "v1", "{}", DateTimeOffset.UnixEpoch, 50, [cluster]));

        await store.SaveAsync(new ClusterAnalysis("run-1", "v2", "{}", DateTimeOffset.UnixEpoch, 0, []));

        await using var connection = await _database.Database.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM failure_clusters")).Should().Be(0);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM failure_cluster_members")).Should().Be(0);
    }

    [Fact]
    public async Task RegistersTheClusterStoreAndTheEmbeddingCacheOverTheSameDatabase()
    {
        await using var services = new ServiceCollection().AddSqliteStorage(_database.Path).BuildServiceProvider();

        services.GetRequiredService<IClusterStore>().Should().BeOfType<SqliteClusterStore>();
        var cache = services.GetRequiredService<IEmbeddingCache>().Should().BeOfType<SqliteEmbeddingCache>().Subject;
        await cache.SetManyAsync("m", [KeyValuePair.Create("h", new[] { 1f })]);
        (await new SqliteEmbeddingCache(_database.Database).GetManyAsync("m", ["h"])).Should().ContainKey("h");
    }

    public void Dispose() => _database.Dispose();
}
