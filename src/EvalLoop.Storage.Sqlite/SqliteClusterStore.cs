using System.Text.Json;
using Dapper;
using EvalLoop.Core.Analysis;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// Failure analyses in SQLite: one row per analysed run, one per cluster and one per member (a member row also carries
/// its representative rank). Saving replaces the run's earlier analysis in one transaction; the run must be stored.
/// </summary>
public sealed class SqliteClusterStore(SqliteDatabase database) : IClusterStore
{
    internal const string ReadClustersSql =
        """
        SELECT id, position, name, description, kind, share, named_by, scorer_failures, confusion_pairs, top_terms
        FROM failure_clusters WHERE run_id = $runId ORDER BY position
        """;

    internal const string ReadMembersSql =
        """
        SELECT m.cluster_id, m.case_id, m.trial, m.representative
        FROM failure_clusters c JOIN failure_cluster_members m ON m.cluster_id = c.id
        WHERE c.run_id = $runId ORDER BY c.position, m.position
        """;

    // SQLITE_CONSTRAINT_FOREIGNKEY: the only foreign key an analysis row has is its run.
    private const int ForeignKeyViolation = 787;

    public async Task SaveAsync(ClusterAnalysis analysis, CancellationToken cancellationToken = default)
    {
        ClusterAnalysisValidation.ThrowIfInvalid(analysis);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);

        // The cascade deletes the earlier clusters and members with it.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM cluster_analyses WHERE run_id = @RunId", new { analysis.RunId }, transaction, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cluster_analyses (run_id, analyzer_version, parameters_json, created_at, failure_count)
                VALUES (@RunId, @AnalyzerVersion, @ParametersJson, @CreatedAt, @FailureCount)
                """,
                new
                {
                    analysis.RunId,
                    analysis.AnalyzerVersion,
                    analysis.ParametersJson,
                    CreatedAt = SqliteValues.FormatTimestamp(analysis.CreatedAt),
                    analysis.FailureCount,
                },
                transaction,
                cancellationToken: cancellationToken));
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == ForeignKeyViolation)
        {
            throw ClusterAnalysisValidation.UnknownRun(analysis, ex);
        }

        await InsertClustersAsync(connection, transaction, analysis, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ClusterAnalysis?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // One read transaction: a concurrent save cannot show us half of the old analysis and half of the new one.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var row = await connection.QuerySingleOrDefaultAsync<AnalysisRow>(new CommandDefinition(
            """
            SELECT analyzer_version AS AnalyzerVersion, parameters_json AS ParametersJson, created_at AS CreatedAt, failure_count AS FailureCount
            FROM cluster_analyses WHERE run_id = @runId
            """,
            new { runId },
            transaction,
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var members = new Dictionary<string, (List<ClusterMember> All, List<(int Rank, ClusterMember Member)> Representatives)>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = ReadMembersSql;
            command.Parameters.AddWithValue("$runId", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var clusterId = reader.GetString(0);
                if (!members.TryGetValue(clusterId, out var entry))
                {
                    entry = ([], []);
                    members[clusterId] = entry;
                }

                var member = new ClusterMember(reader.GetString(1), reader.GetInt32(2));
                entry.All.Add(member);
                if (!reader.IsDBNull(3))
                {
                    entry.Representatives.Add((reader.GetInt32(3), member));
                }
            }
        }

        var clusters = new List<FailureCluster>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = ReadClustersSql;
            command.Parameters.AddWithValue("$runId", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                var (all, representatives) = members.TryGetValue(id, out var entry) ? entry : ([], []);
                clusters.Add(new FailureCluster(
                    id,
                    reader.GetInt32(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    Share: reader.GetDouble(5),
                    Members: all,
                    Representatives: representatives.OrderBy(r => r.Rank).Select(r => r.Member).ToList(),
                    Kind: reader.GetString(4),
                    ScorerFailures: Deserialize(reader.GetString(7), ClusterJsonContext.Readable.ScorerFailureArray),
                    ConfusionPairs: Deserialize(reader.GetString(8), ClusterJsonContext.Readable.ConfusionPairArray),
                    TopTerms: Deserialize(reader.GetString(9), ClusterJsonContext.Readable.StringArray),
                    NamedBy: reader.GetString(6)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new ClusterAnalysis(runId, row.AnalyzerVersion, row.ParametersJson, SqliteValues.ParseTimestamp(row.CreatedAt), checked((int)row.FailureCount), clusters);
    }

    private static async Task InsertClustersAsync(SqliteConnection connection, SqliteTransaction transaction, ClusterAnalysis analysis, CancellationToken cancellationToken)
    {
        await using var cluster = connection.CreateCommand();
        cluster.Transaction = transaction;
        cluster.CommandText =
            """
            INSERT INTO failure_clusters (id, run_id, position, name, description, kind, share, named_by, scorer_failures, confusion_pairs, top_terms)
            VALUES ($id, $runId, $position, $name, $description, $kind, $share, $namedBy, $scorerFailures, $confusionPairs, $topTerms)
            """;
        cluster.Parameters.Add("$runId", SqliteType.Text).Value = analysis.RunId;
        var id = cluster.Parameters.Add("$id", SqliteType.Text);
        var position = cluster.Parameters.Add("$position", SqliteType.Integer);
        var name = cluster.Parameters.Add("$name", SqliteType.Text);
        var description = cluster.Parameters.Add("$description", SqliteType.Text);
        var kind = cluster.Parameters.Add("$kind", SqliteType.Text);
        var share = cluster.Parameters.Add("$share", SqliteType.Real);
        var namedBy = cluster.Parameters.Add("$namedBy", SqliteType.Text);
        var scorerFailures = cluster.Parameters.Add("$scorerFailures", SqliteType.Text);
        var confusionPairs = cluster.Parameters.Add("$confusionPairs", SqliteType.Text);
        var topTerms = cluster.Parameters.Add("$topTerms", SqliteType.Text);
        cluster.Prepare();

        // One prepared statement re-bound per member: a 10,000-failure run saves in milliseconds, not seconds.
        await using var member = connection.CreateCommand();
        member.Transaction = transaction;
        member.CommandText =
            """
            INSERT INTO failure_cluster_members (cluster_id, position, case_id, trial, representative)
            VALUES ($clusterId, $position, $caseId, $trial, $representative)
            """;
        var clusterId = member.Parameters.Add("$clusterId", SqliteType.Text);
        var memberPosition = member.Parameters.Add("$position", SqliteType.Integer);
        var caseId = member.Parameters.Add("$caseId", SqliteType.Text);
        var trial = member.Parameters.Add("$trial", SqliteType.Integer);
        var representative = member.Parameters.Add("$representative", SqliteType.Integer);
        member.Prepare();

        foreach (var c in analysis.Clusters)
        {
            id.Value = c.Id;
            position.Value = c.Index;
            name.Value = c.Name;
            description.Value = c.Description;
            kind.Value = c.Kind;
            share.Value = c.Share;
            namedBy.Value = c.NamedBy;
            scorerFailures.Value = JsonSerializer.Serialize(c.ScorerFailures.ToArray(), ClusterJsonContext.Readable.ScorerFailureArray);
            confusionPairs.Value = JsonSerializer.Serialize(c.ConfusionPairs.ToArray(), ClusterJsonContext.Readable.ConfusionPairArray);
            topTerms.Value = JsonSerializer.Serialize(c.TopTerms.ToArray(), ClusterJsonContext.Readable.StringArray);
            await cluster.ExecuteNonQueryAsync(cancellationToken);

            var ranks = new Dictionary<ClusterMember, int>();
            for (var r = 0; r < c.Representatives.Count; r++)
            {
                ranks.TryAdd(c.Representatives[r], r);
            }

            clusterId.Value = c.Id;
            for (var m = 0; m < c.Members.Count; m++)
            {
                memberPosition.Value = m;
                caseId.Value = c.Members[m].CaseId;
                trial.Value = c.Members[m].Trial;
                representative.Value = ranks.TryGetValue(c.Members[m], out var rank) ? rank : DBNull.Value;
                await member.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static T[] Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T[]> type) =>
        JsonSerializer.Deserialize(json, type) ?? [];

    private sealed class AnalysisRow
    {
        public string AnalyzerVersion { get; set; } = string.Empty;

        public string ParametersJson { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public long FailureCount { get; set; }
    }
}
