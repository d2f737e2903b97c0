using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using EvalLoop.Core.Suggestions;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// Suggestions and their audit history in SQLite. A save checks the revision, writes the suggestion and appends its
/// <c>suggestion_events</c> row in one <c>BEGIN IMMEDIATE</c> transaction, so concurrent savers (other processes
/// included) serialize and exactly one of two saves at the same revision wins. A suggestion must refer to a stored run
/// (a foreign key on <c>runs</c>).
/// </summary>
public sealed class SqliteSuggestionStore(SqliteDatabase database, TimeProvider? timeProvider = null) : ISuggestionStore, ISuggestionHistory
{
    private const string SelectSuggestions =
        """
        SELECT id AS Id, run_id AS RunId, experiment_name AS ExperimentName, kind AS Kind, status AS Status,
               title AS Title, summary AS Summary, change_json AS ChangeJson, evidence_json AS EvidenceJson,
               cluster_ids AS ClusterIds, created_at AS CreatedAt, decided_at AS DecidedAt, decided_by AS DecidedBy,
               decision_reason AS DecisionReason, resulting_version AS ResultingVersion, revision AS Revision
        FROM suggestions
        """;

    private const string InsertSql =
        """
        INSERT INTO suggestions (id, run_id, experiment_name, kind, status, title, summary, change_json, evidence_json,
                                 cluster_ids, created_at, decided_at, decided_by, decision_reason, resulting_version,
                                 revision)
        VALUES (@Id, @RunId, @ExperimentName, @Kind, @Status, @Title, @Summary, @ChangeJson, @EvidenceJson,
                @ClusterIds, @CreatedAt, @DecidedAt, @DecidedBy, @DecisionReason, @ResultingVersion, @Revision)
        """;

    // An UPDATE, not INSERT OR REPLACE: the row keeps its rowid, which orders suggestions created at the same instant.
    private const string UpdateSql =
        """
        UPDATE suggestions SET
            run_id = @RunId, experiment_name = @ExperimentName, kind = @Kind, status = @Status, title = @Title,
            summary = @Summary, change_json = @ChangeJson, evidence_json = @EvidenceJson, cluster_ids = @ClusterIds,
            created_at = @CreatedAt, decided_at = @DecidedAt, decided_by = @DecidedBy, decision_reason = @DecisionReason,
            resulting_version = @ResultingVersion, revision = @Revision
        WHERE id = @Id
        """;

    /// <summary>Walks the primary key (suggestion_id, revision): oldest first without a sort.</summary>
    internal const string ReadHistorySql =
        """
        SELECT revision, from_status, to_status, recorded_at, snapshot
        FROM suggestion_events
        WHERE suggestion_id = $suggestionId
        ORDER BY revision
        """;

    // SQLITE_CONSTRAINT_FOREIGNKEY: the only foreign key a suggestion row has is its run.
    private const int ForeignKeyViolation = 787;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<Suggestion> SaveAsync(Suggestion suggestion, CancellationToken cancellationToken = default)
    {
        SuggestionRules.ThrowIfInvalid(suggestion);
        var row = SuggestionRow.From(suggestion with { Revision = suggestion.Revision + 1 });
        var stored = row.ToSuggestion(); // what a later GetAsync returns: timestamps in UTC, cluster ids copied

        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // BEGIN IMMEDIATE: take the write lock before reading the revision, so no other writer can save between the
        // check and the write.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await connection.QuerySingleOrDefaultAsync<CurrentRow>(new CommandDefinition(
            "SELECT revision AS Revision, status AS Status FROM suggestions WHERE id = @Id",
            new { suggestion.Id },
            transaction,
            cancellationToken: cancellationToken));
        var currentRevision = current is null ? 0 : checked((int)current.Revision);
        if (currentRevision != suggestion.Revision)
        {
            throw new SuggestionConcurrencyException(suggestion.Id, suggestion.Revision, currentRevision);
        }

        SuggestionRules.ThrowIfTransitionNotAllowed(suggestion.Id, current?.Status, suggestion.Status);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(current is null ? InsertSql : UpdateSql, row, transaction, cancellationToken: cancellationToken));
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == ForeignKeyViolation)
        {
            throw SuggestionRules.UnknownRun(suggestion, e);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO suggestion_events (suggestion_id, revision, from_status, to_status, recorded_at, snapshot)
            VALUES (@SuggestionId, @Revision, @FromStatus, @ToStatus, @RecordedAt, @Snapshot)
            """,
            new
            {
                SuggestionId = stored.Id,
                stored.Revision,
                FromStatus = current?.Status,
                ToStatus = stored.Status,
                RecordedAt = SqliteValues.FormatTimestamp(_time.GetUtcNow()),
                Snapshot = JsonSerializer.Serialize(stored, SuggestionJsonContext.Readable.Suggestion),
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<Suggestion?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SuggestionRow>(new CommandDefinition(
            SelectSuggestions + " WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
        return row?.ToSuggestion();
    }

    public async Task<IReadOnlyList<Suggestion>> ListAsync(SuggestionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit, nameof(query));

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SuggestionRow>(new CommandDefinition(
            ListSql(query),
            new { query.Status, query.RunId, query.ExperimentName, query.Kind, query.Limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSuggestion()).ToList();
    }

    /// <summary>
    /// Only the filters that are set, so SQLite can use the index of the most selective one, which also gives the rows
    /// newest first without sorting them.
    /// </summary>
    internal static string ListSql(SuggestionQuery query)
    {
        var conditions = new List<string>(4);
        if (query.Status is not null)
        {
            conditions.Add("status = @Status");
        }

        if (query.RunId is not null)
        {
            conditions.Add("run_id = @RunId");
        }

        if (query.ExperimentName is not null)
        {
            conditions.Add("experiment_name = @ExperimentName");
        }

        if (query.Kind is not null)
        {
            conditions.Add("kind = @Kind");
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        return SelectSuggestions + where + " ORDER BY created_at DESC, rowid DESC LIMIT @Limit";
    }

    public async IAsyncEnumerable<SuggestionEvent> ReadHistoryAsync(string suggestionId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suggestionId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ReadHistorySql;
        command.Parameters.AddWithValue("$suggestionId", suggestionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var snapshot = reader.GetString(4);
            yield return new SuggestionEvent
            {
                SuggestionId = suggestionId,
                Revision = reader.GetInt32(0),
                FromStatus = reader.IsDBNull(1) ? null : reader.GetString(1),
                ToStatus = reader.GetString(2),
                RecordedAt = SqliteValues.ParseTimestamp(reader.GetString(3)),
                Snapshot = JsonSerializer.Deserialize(snapshot, SuggestionJsonContext.Readable.Suggestion)
                    ?? throw new InvalidDataException($"Suggestion '{suggestionId}' has an empty history snapshot at revision {reader.GetInt32(0)}."),
            };
        }
    }

    private sealed class CurrentRow
    {
        public long Revision { get; set; }

        public string Status { get; set; } = string.Empty;
    }

    private sealed class SuggestionRow
    {
        public string Id { get; set; } = string.Empty;

        public string RunId { get; set; } = string.Empty;

        public string ExperimentName { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public string Title { get; set; } = string.Empty;

        public string Summary { get; set; } = string.Empty;

        public string ChangeJson { get; set; } = string.Empty;

        public string? EvidenceJson { get; set; }

        public string ClusterIds { get; set; } = "[]";

        public string CreatedAt { get; set; } = string.Empty;

        public string? DecidedAt { get; set; }

        public string? DecidedBy { get; set; }

        public string? DecisionReason { get; set; }

        public string? ResultingVersion { get; set; }

        public long Revision { get; set; }

        public static SuggestionRow From(Suggestion s) => new()
        {
            Id = s.Id,
            RunId = s.RunId,
            ExperimentName = s.ExperimentName,
            Kind = s.Kind,
            Status = s.Status,
            Title = s.Title,
            Summary = s.Summary,
            ChangeJson = s.ChangeJson,
            EvidenceJson = s.EvidenceJson,
            ClusterIds = JsonSerializer.Serialize(s.ClusterIds.ToArray(), SuggestionJsonContext.Readable.StringArray),
            CreatedAt = SqliteValues.FormatTimestamp(s.CreatedAt),
            DecidedAt = SqliteValues.FormatTimestamp(s.DecidedAt),
            DecidedBy = s.DecidedBy,
            DecisionReason = s.DecisionReason,
            ResultingVersion = s.ResultingVersion,
            Revision = s.Revision,
        };

        public Suggestion ToSuggestion() => new()
        {
            Id = Id,
            RunId = RunId,
            ExperimentName = ExperimentName,
            Kind = Kind,
            Status = Status,
            Title = Title,
            Summary = Summary,
            ChangeJson = ChangeJson,
            EvidenceJson = EvidenceJson,
            ClusterIds = JsonSerializer.Deserialize(ClusterIds, SuggestionJsonContext.Readable.StringArray) ?? [],
            CreatedAt = SqliteValues.ParseTimestamp(CreatedAt),
            DecidedAt = SqliteValues.ParseTimestampOrNull(DecidedAt),
            DecidedBy = DecidedBy,
            DecisionReason = DecisionReason,
            ResultingVersion = ResultingVersion,
            Revision = checked((int)Revision),
        };
    }
}
