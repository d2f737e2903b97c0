using System.Globalization;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// Brings a database up to the newest schema by applying the embedded <c>Migrations/NNNN_name.sql</c> scripts that
/// <c>schema_migrations</c> does not list yet, in version order, each in its own transaction together with its
/// <c>schema_migrations</c> row. Safe when several processes start at once: each script runs under
/// <c>BEGIN IMMEDIATE</c> (the write lock), and whoever gets the lock second sees the row and skips the script.
/// </summary>
internal static class SqliteMigrator
{
    private const string ResourceFolder = ".Migrations.";

    /// <summary>The embedded scripts, in version order.</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } = Load(typeof(SqliteMigrator).Assembly);

    /// <summary>Applies the pending migrations on <paramref name="connection"/> (open, not in a transaction).</summary>
    /// <param name="timeProvider">Stamps <c>applied_at</c>.</param>
    public static async Task MigrateAsync(SqliteConnection connection, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at TEXT    NOT NULL
            )
            """,
            cancellationToken: cancellationToken));

        // Read without the write lock first: on every start but the first there is nothing to do.
        var applied = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();

        foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version",
                new { migration.Version },
                transaction,
                cancellationToken: cancellationToken));
            if (already > 0)
            {
                continue; // another process applied it while we waited for the lock
            }

            await using (var script = connection.CreateCommand())
            {
                script.Transaction = transaction;
                script.CommandText = migration.Sql;
                await script.ExecuteNonQueryAsync(cancellationToken);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = SqliteValues.FormatTimestamp(timeProvider.GetUtcNow()) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static List<SqliteMigration> Load(Assembly assembly)
    {
        var migrations = new List<SqliteMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var folder = resource.IndexOf(ResourceFolder, StringComparison.Ordinal);
            if (folder < 0 || !resource.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var fileName = resource[(folder + ResourceFolder.Length)..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(fileName.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Migration resource '{resource}' cannot be read.");
            using var reader = new StreamReader(stream);
            migrations.Add(new SqliteMigration(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return migrations;
    }
}
