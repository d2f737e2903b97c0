using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using EvalLoop.Core.Datasets;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// Dataset snapshots in SQLite. A snapshot is saved in one transaction; its cases are stored once per content version
/// (shared by dataset names with identical content) and read back as a stream in file order.
/// </summary>
public sealed class SqliteDatasetStore(SqliteDatabase database, TimeProvider? timeProvider = null) : IDatasetStore
{
    private const string SelectVersions =
        """
        SELECT name AS Name, version AS Version, case_count AS CaseCount, split_counts AS SplitCounts,
               source_path AS SourcePath, created_at AS CreatedAt
        FROM datasets
        """;

    // Both walk an index in ordinal order (the primary key, or the (version, split, ordinal) index): no sort, so the
    // first case arrives before the last one is read.
    internal const string ReadCasesSql =
        "SELECT case_id, input, expected, metadata, split FROM dataset_cases WHERE version = $version ORDER BY ordinal";

    internal const string ReadSplitCasesSql =
        "SELECT case_id, input, expected, metadata, split FROM dataset_cases WHERE version = $version AND split = $split ORDER BY ordinal";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<DatasetVersion> SaveAsync(string name, IReadOnlyList<DatasetCase> cases, string? sourcePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(cases);
        var version = DatasetVersioning.ComputeVersion(cases);

        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // BEGIN IMMEDIATE: take the write lock before reading, so two processes saving the same snapshot serialize
        // instead of both inserting (or one failing to upgrade its read lock).
        await using var transaction = connection.BeginTransaction(deferred: false);
        var existing = await connection.QuerySingleOrDefaultAsync<DatasetRow>(new CommandDefinition(
            SelectVersions + " WHERE name = @name AND version = @version",
            new { name, version },
            transaction,
            cancellationToken: cancellationToken));
        if (existing is not null)
        {
            return existing.ToVersion();
        }

        var casesStored = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM dataset_cases WHERE version = @version)",
            new { version },
            transaction,
            cancellationToken: cancellationToken));
        if (casesStored == 0)
        {
            await InsertCasesAsync(connection, transaction, version, cases, cancellationToken);
        }

        var splitCounts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var @case in cases)
        {
            if (@case.Split is { } split)
            {
                splitCounts[split] = splitCounts.GetValueOrDefault(split) + 1;
            }
        }

        var saved = new DatasetVersion(name, version, cases.Count, new Dictionary<string, int>(splitCounts, StringComparer.Ordinal), sourcePath, _time.GetUtcNow());
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO datasets (name, version, case_count, split_counts, source_path, created_at)
            VALUES (@Name, @Version, @CaseCount, @SplitCounts, @SourcePath, @CreatedAt)
            """,
            new
            {
                saved.Name,
                saved.Version,
                saved.CaseCount,
                SplitCounts = JsonSerializer.Serialize(splitCounts),
                saved.SourcePath,
                CreatedAt = SqliteValues.FormatTimestamp(saved.CreatedAt),
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    public async Task<IReadOnlyList<DatasetVersion>> ListVersionsAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DatasetRow>(new CommandDefinition(
            SelectVersions + (name is null ? string.Empty : " WHERE name = @name") + " ORDER BY created_at DESC, rowid DESC",
            new { name },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToVersion()).ToList();
    }

    public async IAsyncEnumerable<DatasetCase> ReadCasesAsync(
        string version,
        string? split = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = split is null ? ReadCasesSql : ReadSplitCasesSql;
        command.Parameters.AddWithValue("$version", version);
        if (split is not null)
        {
            command.Parameters.AddWithValue("$split", split);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new DatasetCase(
                reader.GetString(0),
                JsonText.Parse(reader.GetString(1)),
                JsonText.ParseOrNull(reader.IsDBNull(2) ? null : reader.GetString(2)),
                JsonText.ParseOrNull(reader.IsDBNull(3) ? null : reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4));
        }
    }

    private static async Task InsertCasesAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string version,
        IReadOnlyList<DatasetCase> cases,
        CancellationToken cancellationToken)
    {
        // One prepared statement, re-bound per case: parsing the SQL once is what makes 100k cases take seconds.
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            """
            INSERT INTO dataset_cases (version, ordinal, case_id, input, expected, metadata, split)
            VALUES ($version, $ordinal, $caseId, $input, $expected, $metadata, $split)
            """;
        insert.Parameters.Add("$version", SqliteType.Text).Value = version;
        var ordinal = insert.Parameters.Add("$ordinal", SqliteType.Integer);
        var caseId = insert.Parameters.Add("$caseId", SqliteType.Text);
        var input = insert.Parameters.Add("$input", SqliteType.Text);
        var expected = insert.Parameters.Add("$expected", SqliteType.Text);
        var metadata = insert.Parameters.Add("$metadata", SqliteType.Text);
        var split = insert.Parameters.Add("$split", SqliteType.Text);
        insert.Prepare();

        for (var i = 0; i < cases.Count; i++)
        {
            var @case = cases[i];
            ordinal.Value = i;
            caseId.Value = SqliteValues.OrDbNull(@case.Id);
            input.Value = @case.Input.GetRawText();
            expected.Value = SqliteValues.OrDbNull(@case.Expected?.GetRawText());
            metadata.Value = SqliteValues.OrDbNull(@case.Metadata?.GetRawText());
            split.Value = SqliteValues.OrDbNull(@case.Split);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed class DatasetRow
    {
        public string Name { get; set; } = string.Empty;

        public string Version { get; set; } = string.Empty;

        public long CaseCount { get; set; }

        public string SplitCounts { get; set; } = "{}";

        public string? SourcePath { get; set; }

        public string CreatedAt { get; set; } = string.Empty;

        public DatasetVersion ToVersion() => new(
            Name,
            Version,
            checked((int)CaseCount),
            JsonSerializer.Deserialize<Dictionary<string, int>>(SplitCounts) ?? [],
            SourcePath,
            SqliteValues.ParseTimestamp(CreatedAt));
    }
}
