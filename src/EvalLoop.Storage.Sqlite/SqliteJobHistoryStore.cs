using Dapper;
using EvalLoop.Core.Scheduling;

namespace EvalLoop.Storage.Sqlite;

/// <summary>The service's job history in SQLite (<c>job_executions</c>, append-only).</summary>
public sealed class SqliteJobHistoryStore(SqliteDatabase database) : IJobHistoryStore
{
    internal const string ListSql =
        """
        SELECT id AS Id, experiment_name AS ExperimentName, trigger AS Trigger, outcome AS Outcome,
               started_at AS StartedAt, finished_at AS FinishedAt, run_id AS RunId, error AS Error
        FROM job_executions
        WHERE experiment_name = @experimentName
        ORDER BY id DESC
        LIMIT @limit
        """;

    public async Task<JobExecution> RecordAsync(JobExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentException.ThrowIfNullOrWhiteSpace(execution.ExperimentName, nameof(execution));
        ArgumentException.ThrowIfNullOrWhiteSpace(execution.Trigger, nameof(execution));
        if (!JobOutcome.IsKnown(execution.Outcome))
        {
            throw new ArgumentException($"Unknown job outcome '{execution.Outcome}'.", nameof(execution));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO job_executions (experiment_name, trigger, outcome, started_at, finished_at, run_id, error)
            VALUES (@ExperimentName, @Trigger, @Outcome, @StartedAt, @FinishedAt, @RunId, @Error)
            RETURNING id
            """,
            new
            {
                execution.ExperimentName,
                execution.Trigger,
                execution.Outcome,
                StartedAt = SqliteValues.FormatTimestamp(execution.StartedAt),
                FinishedAt = SqliteValues.FormatTimestamp(execution.FinishedAt),
                execution.RunId,
                execution.Error,
            },
            cancellationToken: cancellationToken));
        return execution with { Id = id };
    }

    public async Task<IReadOnlyList<JobExecution>> ListAsync(string experimentName, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentName);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(ListSql, new { experimentName, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToExecution()).ToList();
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public string ExperimentName { get; set; } = string.Empty;

        public string Trigger { get; set; } = string.Empty;

        public string Outcome { get; set; } = string.Empty;

        public string StartedAt { get; set; } = string.Empty;

        public string FinishedAt { get; set; } = string.Empty;

        public string? RunId { get; set; }

        public string? Error { get; set; }

        public JobExecution ToExecution() => new()
        {
            Id = Id,
            ExperimentName = ExperimentName,
            Trigger = Trigger,
            Outcome = Outcome,
            StartedAt = SqliteValues.ParseTimestamp(StartedAt),
            FinishedAt = SqliteValues.ParseTimestamp(FinishedAt),
            RunId = RunId,
            Error = Error,
        };
    }
}
