using Dapper;
using EvalLoop.Core.Suggestions;
using EvalLoop.Storage.Sqlite.Tests.Contracts;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite.Tests;

/// <summary>What the SQLite suggestion store does beyond the contract: the schema's guarantees and cross-connection races.</summary>
public sealed class SqliteSuggestionStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task ARunThatSuggestionsReferToCannotBeDeleted()
    {
        var store = await StoreWithRunAsync();
        await store.SaveAsync(Suggestion("s-1"));
        await using var connection = await _database.Database.OpenConnectionAsync();

        var delete = () => connection.ExecuteAsync("DELETE FROM runs WHERE id = 'run-1'");

        (await delete.Should().ThrowAsync<SqliteException>()).Which.SqliteExtendedErrorCode.Should().Be(787, "a foreign key, not a cascade, protects the decisions taken about a run");
        (await store.GetAsync("s-1")).Should().NotBeNull();
    }

    [Fact]
    public async Task KeepsHistorySnapshotsAsReadableJsonKeyedByColumnName()
    {
        var store = await StoreWithRunAsync();
        await store.SaveAsync(Suggestion("s-1") with { Title = "Relabel «card_arrival» cases", ClusterIds = ["c-1", "c-2"] });
        await using var connection = await _database.Database.OpenConnectionAsync();

        var snapshot = await connection.ExecuteScalarAsync<string>("SELECT snapshot FROM suggestion_events WHERE suggestion_id = 's-1'");
        var clusterIds = await connection.ExecuteScalarAsync<string>("SELECT cluster_ids FROM suggestions WHERE id = 's-1'");

        snapshot.Should().Contain("\"title\":\"Relabel «card_arrival» cases\"").And.Contain("\"cluster_ids\":[\"c-1\",\"c-2\"]").And.Contain("\"revision\":1");
        clusterIds.Should().Be("""["c-1","c-2"]""");
    }

    [Fact]
    public async Task OfConcurrentSavesAtOneRevisionFromSeparateConnectionPoolsExactlyOneWins()
    {
        var store = await StoreWithRunAsync();
        var pending = await store.SaveAsync(Suggestion("s-1"));

        // One SqliteDatabase per writer: separate pools, as separate processes would have.
        var databases = Enumerable.Range(0, 6).Select(_ => new SqliteDatabase(_database.Path)).ToList();
        try
        {
            var attempts = databases.Select((database, i) => Task.Run(async () =>
            {
                try
                {
                    await new SqliteSuggestionStore(database).SaveAsync(pending with
                    {
                        Status = SuggestionStatus.Approved,
                        DecidedAt = Start,
                        DecidedBy = $"reviewer-{i}",
                    });
                    return true;
                }
                catch (SuggestionConcurrencyException)
                {
                    return false;
                }
            }));

            var won = await Task.WhenAll(attempts);

            won.Count(w => w).Should().Be(1);
            var history = await store.ReadHistoryAsync("s-1").ToListAsync();
            history.Select(e => e.Revision).Should().Equal(1, 2);
            (await store.GetAsync("s-1"))!.DecidedBy.Should().Be(history[1].Snapshot.DecidedBy);
        }
        finally
        {
            databases.ForEach(d => d.Dispose());
        }
    }

    public void Dispose() => _database.Dispose();

    private async Task<SqliteSuggestionStore> StoreWithRunAsync()
    {
        await new SqliteRunStore(_database.Database).SaveRunAsync(SuggestionTestRuns.Run("run-1", Start));
        return new SqliteSuggestionStore(_database.Database);
    }

    private static Suggestion Suggestion(string id) => new()
    {
        Id = id,
        RunId = "run-1",
        ExperimentName = "qa",
        Kind = SuggestionKinds.Prompt,
        Title = "Add refund examples",
        Summary = "Two few-shot examples for refund questions.",
        ChangeJson = """{"template":"..."}""",
        CreatedAt = Start,
    };
}
