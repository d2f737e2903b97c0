using System.Text.Json;
using Dapper;
using EvalLoop.Core.Runs;

namespace EvalLoop.Storage.Sqlite;

/// <summary>Regressions found by the service in SQLite (<c>run_regressions</c>, one row per (run, scorer)).</summary>
public sealed class SqliteRegressionStore(SqliteDatabase database) : IRegressionStore
{
    private const string Select =
        """
        SELECT run_id AS RunId, baseline_run_id AS BaselineRunId, experiment_name AS ExperimentName, scorer AS Scorer,
               baseline_pass_rate AS BaselinePassRate, pass_rate AS PassRate, p_value AS PValue, pairs AS Pairs,
               detected_at AS DetectedAt
        FROM run_regressions
        """;

    public async Task SaveAsync(IReadOnlyList<RunRegression> regressions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regressions);
        if (regressions.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var r in regressions)
        {
            ArgumentNullException.ThrowIfNull(r);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO run_regressions (run_id, scorer, baseline_run_id, experiment_name, baseline_pass_rate, pass_rate,
                                             p_value, pairs, detected_at)
                VALUES (@RunId, @Scorer, @BaselineRunId, @ExperimentName, @BaselinePassRate, @PassRate, @PValue, @Pairs, @DetectedAt)
                ON CONFLICT (run_id, scorer) DO UPDATE SET
                    baseline_run_id = excluded.baseline_run_id, experiment_name = excluded.experiment_name,
                    baseline_pass_rate = excluded.baseline_pass_rate, pass_rate = excluded.pass_rate,
                    p_value = excluded.p_value, pairs = excluded.pairs, detected_at = excluded.detected_at
                """,
                new
                {
                    r.RunId,
                    r.Scorer,
                    r.BaselineRunId,
                    r.ExperimentName,
                    r.BaselinePassRate,
                    r.PassRate,
                    r.PValue,
                    r.Pairs,
                    DetectedAt = SqliteValues.FormatTimestamp(r.DetectedAt),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RunRegression>> ListForRunsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count == 0)
        {
            return [];
        }

        // One query for any number of runs: the ids travel as one JSON array (no limit on bound parameters).
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Select + " WHERE run_id IN (SELECT value FROM json_each(@runIds)) ORDER BY run_id, scorer",
            new { runIds = JsonSerializer.Serialize(runIds) },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRegression()).ToList();
    }

    public async Task<IReadOnlyList<RunRegression>> ListNewestRunsAsync(string? experimentName = null, int runLimit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(runLimit);

        // One query: the newest `runLimit` flagged runs first (LIMIT on runs, not rows), then every row of those runs.
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var newest =
            $"""
            WITH newest (id, latest) AS (
                SELECT run_id, MAX(detected_at)
                FROM run_regressions
                {(experimentName is null ? string.Empty : "WHERE experiment_name = @experimentName")}
                GROUP BY run_id
                ORDER BY 2 DESC, 1
                LIMIT @runLimit)

            """;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            newest + Select + " JOIN newest ON newest.id = run_regressions.run_id ORDER BY newest.latest DESC, newest.id, scorer",
            new { experimentName, runLimit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRegression()).ToList();
    }

    private sealed class Row
    {
        public string RunId { get; set; } = string.Empty;

        public string BaselineRunId { get; set; } = string.Empty;

        public string ExperimentName { get; set; } = string.Empty;

        public string Scorer { get; set; } = string.Empty;

        public double BaselinePassRate { get; set; }

        public double PassRate { get; set; }

        public double PValue { get; set; }

        public long Pairs { get; set; }

        public string DetectedAt { get; set; } = string.Empty;

        public RunRegression ToRegression() =>
            new(RunId, BaselineRunId, ExperimentName, Scorer, BaselinePassRate, PassRate, PValue, (int)Pairs, SqliteValues.ParseTimestamp(DetectedAt));
    }
}
