using Dapper;
using EvalLoop.Core.Versions;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// The version history of workspace files in SQLite (<c>file_versions</c>). A change runs inside one
/// <c>BEGIN IMMEDIATE</c> transaction that also spans the file write, so approvals in several processes sharing the
/// database serialize: the second one re-checks the file after the first has written it.
/// </summary>
public sealed class SqliteFileVersionStore(SqliteDatabase database) : IFileVersionStore
{
    private const string SelectVersions =
        """
        SELECT id AS Id, kind AS Kind, name AS Name, path AS Path, sha256 AS Sha256, content AS Content,
               content_version AS ContentVersion, suggestion_id AS SuggestionId, previous_id AS PreviousId,
               created_by AS CreatedBy, created_at AS CreatedAt, note AS Note
        FROM file_versions
        """;

    private const string InsertSql =
        """
        INSERT INTO file_versions (kind, name, path, sha256, content, content_version, suggestion_id, previous_id,
                                   created_by, created_at, note)
        VALUES (@Kind, @Name, @Path, @Sha256, @Content, @ContentVersion, @SuggestionId, @PreviousId,
                @CreatedBy, @CreatedAt, @Note)
        RETURNING id
        """;

    public async Task<FileVersionChange> RecordChangeAsync(FileVersion previous, FileVersion replacement, Func<CancellationToken, Task> apply, CancellationToken cancellationToken = default)
    {
        Validate(previous);
        Validate(replacement);
        ArgumentNullException.ThrowIfNull(apply);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // BEGIN IMMEDIATE takes the write lock now and holds it across the file write: another change of any file
        // waits here, then finds the file as this one left it.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var newest = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            SelectVersions + " WHERE path = @Path ORDER BY id DESC LIMIT 1",
            new { previous.Path },
            transaction,
            cancellationToken: cancellationToken));
        FileVersion storedPrevious;
        if (newest is not null && newest.Sha256 == previous.Sha256)
        {
            storedPrevious = newest.ToVersion();
        }
        else
        {
            var previousId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                InsertSql,
                Row.From(previous with { PreviousId = newest?.Id }),
                transaction,
                cancellationToken: cancellationToken));
            storedPrevious = previous with { Id = previousId, PreviousId = newest?.Id };
        }

        await apply(cancellationToken);

        // The file is written: from here on nothing is cancellable, or the file would carry a change no version records.
        var stored = replacement with { PreviousId = storedPrevious.Id };
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql, Row.From(stored), transaction, cancellationToken: CancellationToken.None));
        await transaction.CommitAsync(CancellationToken.None);
        return new FileVersionChange(storedPrevious, stored with { Id = id });
    }

    public async Task<IReadOnlyList<FileVersion>> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            SelectVersions + " WHERE path = @path ORDER BY id DESC", new { path }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToVersion()).ToList();
    }

    public async Task<FileVersion?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            SelectVersions + " WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToVersion();
    }

    private static void Validate(FileVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!FileVersionKinds.IsKnown(version.Kind))
        {
            throw new ArgumentException($"Unknown file version kind '{version.Kind}'.", nameof(version));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(version.Path, nameof(version));
        ArgumentException.ThrowIfNullOrWhiteSpace(version.Name, nameof(version));
        ArgumentException.ThrowIfNullOrWhiteSpace(version.CreatedBy, nameof(version));
        ArgumentNullException.ThrowIfNull(version.Content, nameof(version));
        if (version.Sha256 != FileContentHash.Compute(version.Content))
        {
            throw new ArgumentException($"The hash of version of {version.Path} does not match its content.", nameof(version));
        }
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public string Kind { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Path { get; set; } = string.Empty;

        public string Sha256 { get; set; } = string.Empty;

        public string Content { get; set; } = string.Empty;

        public string? ContentVersion { get; set; }

        public string? SuggestionId { get; set; }

        public long? PreviousId { get; set; }

        public string CreatedBy { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public string? Note { get; set; }

        public static Row From(FileVersion v) => new()
        {
            Kind = v.Kind,
            Name = v.Name,
            Path = v.Path,
            Sha256 = v.Sha256,
            Content = v.Content,
            ContentVersion = v.ContentVersion,
            SuggestionId = v.SuggestionId,
            PreviousId = v.PreviousId,
            CreatedBy = v.CreatedBy,
            CreatedAt = SqliteValues.FormatTimestamp(v.CreatedAt),
            Note = v.Note,
        };

        public FileVersion ToVersion() => new()
        {
            Id = Id,
            Kind = Kind,
            Name = Name,
            Path = Path,
            Sha256 = Sha256,
            Content = Content,
            ContentVersion = ContentVersion,
            SuggestionId = SuggestionId,
            PreviousId = PreviousId,
            CreatedBy = CreatedBy,
            CreatedAt = SqliteValues.ParseTimestamp(CreatedAt),
            Note = Note,
        };
    }
}
