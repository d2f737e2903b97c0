using Dapper;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task CreatesTheMissingFolderOfTheDatabaseFile()
    {
        Directory.Exists(Path.GetDirectoryName(_database.Path)).Should().BeTrue();

        await using var connection = await _database.Database.OpenConnectionAsync();

        File.Exists(_database.Path).Should().BeTrue();
    }

    [Fact]
    public async Task SwitchesTheFileToWriteAheadLoggingForGood()
    {
        await using (await _database.Database.OpenConnectionAsync())
        {
        }

        // A plain connection, without the settings SqliteDatabase applies: the journal mode is stored in the file.
        await using var plain = new SqliteConnection(_database.Database.ConnectionString);
        await plain.OpenAsync();

        (await plain.ExecuteScalarAsync<string>("PRAGMA journal_mode")).Should().Be("wal");
    }

    [Fact]
    public async Task ConfiguresEveryConnectionForConcurrentSafeWrites()
    {
        await using var first = await _database.Database.OpenConnectionAsync();
        await using var second = await _database.Database.OpenConnectionAsync();

        foreach (var connection in new[] { first, second })
        {
            (await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout")).Should().Be(10_000);
            (await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")).Should().Be(1, "1 is NORMAL");
            (await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys")).Should().Be(1);
        }
    }

    [Fact]
    public async Task TwoConnectionsKeepReadingWhileAnotherCommitsAWrite()
    {
        await using var setup = await _database.Database.OpenConnectionAsync();
        await setup.ExecuteAsync("CREATE TABLE numbers (n INTEGER NOT NULL); INSERT INTO numbers VALUES (1);");
        await using var reader1 = await _database.Database.OpenConnectionAsync();
        await using var reader2 = await _database.Database.OpenConnectionAsync();
        await using var writer = await _database.Database.OpenConnectionAsync();
        using var read1 = reader1.BeginTransaction(deferred: true);
        using var read2 = reader2.BeginTransaction(deferred: true);
        (await reader1.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM numbers", transaction: read1)).Should().Be(1);
        (await reader2.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM numbers", transaction: read2)).Should().Be(1);

        // With a rollback journal this commit would wait for both readers to finish; with WAL it goes straight through.
        await writer.ExecuteAsync("PRAGMA busy_timeout = 0");
        using (var write = writer.BeginTransaction(deferred: false))
        {
            await writer.ExecuteAsync("INSERT INTO numbers VALUES (2)", transaction: write, commandTimeout: 1);
            write.Commit();
        }

        (await reader1.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM numbers", transaction: read1)).Should().Be(1, "a reader keeps its snapshot");
        (await reader2.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM numbers", transaction: read2)).Should().Be(1);
        read1.Commit();
        (await reader1.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM numbers")).Should().Be(2, "a new read sees the write");
    }

    [Fact]
    public async Task AppliesEveryEmbeddedMigrationOnceAndRecordsIt()
    {
        await using (await _database.Database.OpenConnectionAsync())
        {
        }

        using var again = new SqliteDatabase(_database.Path);
        await using var connection = await again.OpenConnectionAsync();
        var applied = (await connection.QueryAsync<(long Version, string Name)>("SELECT version, name FROM schema_migrations ORDER BY version")).ToList();
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");

        SqliteMigrator.Migrations.Should().NotBeEmpty();
        SqliteMigrator.Migrations[0].Should().Match<SqliteMigration>(m => m.Version == 1 && m.Name == "initial");
        applied.Should().Equal(SqliteMigrator.Migrations.Select(m => ((long)m.Version, m.Name)));
        tables.Should().Contain(["datasets", "dataset_cases", "runs", "case_results", "case_scores", "response_cache", "suggestions", "suggestion_events", "schema_migrations"]);
    }

    [Fact]
    public async Task SeveralDatabasesOpeningANewFileAtOnceMigrateItExactlyOnce()
    {
        var databases = Enumerable.Range(0, 4).Select(_ => new SqliteDatabase(_database.Path)).ToList();
        try
        {
            var connections = await Task.WhenAll(databases.Select(d => Task.Run(() => d.OpenConnectionAsync())));
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            await using var check = await _database.Database.OpenConnectionAsync();
            (await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations")).Should().Be(SqliteMigrator.Migrations.Count);
        }
        finally
        {
            databases.ForEach(d => d.Dispose());
        }
    }

    [Fact]
    public async Task ACancelledOpenThrowsAndALaterOpenStillMigrates()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var open = () => _database.Database.OpenConnectionAsync(cancelled.Token);

        await open.Should().ThrowAsync<OperationCanceledException>();
        await using var connection = await _database.Database.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations")).Should().Be(SqliteMigrator.Migrations.Count);
    }

    [Fact]
    public async Task Migration7TurnsLegacyGoalVersionsIntoGoalKindAndKeepsEveryRowAndId()
    {
        // A database as a build before migration 0007 left it: goal files recorded as experiment versions "goal:NAME".
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_database.Path)!);
        await using (var legacy = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            await legacy.OpenAsync();
            await legacy.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            foreach (var migration in SqliteMigrator.Migrations.Where(m => m.Version < 7))
            {
                await legacy.ExecuteAsync(migration.Sql);
                await legacy.ExecuteAsync("INSERT INTO schema_migrations VALUES (@Version, @Name, '2026-11-01T00:00:00.0000000Z')", new { migration.Version, migration.Name });
            }

            await legacy.ExecuteAsync(
                """
                INSERT INTO file_versions (id, kind, name, path, sha256, content, content_version, previous_id, created_by, created_at)
                VALUES (1, 'experiment', 'routing', 'experiments/routing.yaml', 'a', 'name: routing', 'p1', NULL, 'ann', '2026-11-01T00:00:00.0000000Z'),
                       (2, 'experiment', 'goal:routing', 'experiments/goals/routing.yaml', 'b', 'name: routing', NULL, NULL, 'ann', '2026-11-01T00:00:01.0000000Z'),
                       (3, 'experiment', 'goal:routing', 'experiments/goals/routing.yaml', 'c', 'name: routing2', NULL, 2, 'bob', '2026-11-01T00:00:02.0000000Z')
                """);
        }

        await using var connection = await _database.Database.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(long Id, string Kind, string Name, long? PreviousId)>(
            "SELECT id, kind, name, previous_id FROM file_versions ORDER BY id")).ToList();
        var prompts = (await connection.QueryAsync<string>("SELECT experiment_name FROM prompt_versions")).ToList();

        rows.Should().Equal((1L, "experiment", "routing", (long?)null), (2L, "goal", "routing", (long?)null), (3L, "goal", "routing", (long?)2));
        prompts.Should().Equal("routing");
        var insertGoal = () => connection.ExecuteAsync(
            "INSERT INTO file_versions (kind, name, path, sha256, content, created_by, created_at) VALUES ('goal', 'g', 'experiments/goals/g.yaml', 'd', 'x', 'c', 't')");
        var insertUnknown = () => connection.ExecuteAsync(
            "INSERT INTO file_versions (kind, name, path, sha256, content, created_by, created_at) VALUES ('prompt', 'g', 'p', 'd', 'x', 'c', 't')");
        await insertGoal.Should().NotThrowAsync();
        await insertUnknown.Should().ThrowAsync<SqliteException>("the kinds are still checked");
        var danglingPrevious = () => connection.ExecuteAsync(
            "INSERT INTO file_versions (kind, name, path, sha256, content, previous_id, created_by, created_at) VALUES ('goal', 'g', 'p', 'd', 'x', 999, 'c', 't')");
        await danglingPrevious.Should().ThrowAsync<SqliteException>("previous_id still references the (renamed) table");
    }

    public void Dispose() => _database.Dispose();
}
