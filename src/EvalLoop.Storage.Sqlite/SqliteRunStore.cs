using System.Runtime.CompilerServices;
using Dapper;
using EvalLoop.Core.Runs;
using Microsoft.Data.Sqlite;

namespace EvalLoop.Storage.Sqlite;

/// <summary>
/// Runs and their per-case results in SQLite. Results are appended in one transaction per batch with prepared
/// statements, read back as a stream in dataset order, and summarized with SQL aggregates so the summary always
/// reflects exactly what is stored.
/// </summary>
public sealed class SqliteRunStore(SqliteDatabase database) : IRunStore, IRunResultStore
{
    private const string SelectRuns =
        """
        SELECT id AS Id, experiment_name AS ExperimentName, experiment_path AS ExperimentPath,
               experiment_json AS ExperimentJson, prompt_version AS PromptVersion, dataset_name AS DatasetName,
               dataset_version AS DatasetVersion, split AS Split, provider AS Provider, model AS Model,
               status AS Status, mode AS Mode, parent_run_id AS ParentRunId, planned_results AS PlannedResults,
               started_at AS StartedAt, finished_at AS FinishedAt, wall_seconds AS WallSeconds, error AS Error
        FROM runs
        """;

    /// <summary>
    /// One ordered pass: the index on (run_id, ordinal, trial, case_id) gives the results in order, each joined to its
    /// few score rows, which SQLite sorts by position per result ("temp b-tree for last term of order by") rather
    /// than sorting the whole run. Consecutive rows of one result are folded into one <see cref="CaseResult"/>.
    /// </summary>
    internal const string ReadResultsSql =
        """
        SELECT r.case_id, r.trial, r.ordinal, r.output, r.error_kind, r.error_message, r.passed,
               r.input_tokens, r.output_tokens, r.cost, r.cache_hit, r.latency_ms, r.completed_at,
               s.scorer, s.score, s.passed, s.rationale, s.error,
               s.judge_input_tokens, s.judge_output_tokens, s.judge_cost, s.judge_cache_hit
        FROM case_results AS r
        LEFT JOIN case_scores AS s ON s.run_id = r.run_id AND s.case_id = r.case_id AND s.trial = r.trial
        WHERE r.run_id = $runId
        ORDER BY r.ordinal, r.trial, r.case_id, s.position
        """;

    // Exact decimal sum of the TEXT cost column; SQL's SUM would go through REAL and lose cents.
    private const string DecimalSum = "evalloop_decimal_sum";

    public async Task SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // An upsert, not INSERT OR REPLACE: REPLACE deletes the old row first, which would cascade to its results.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO runs (id, experiment_name, experiment_path, experiment_json, prompt_version, dataset_name,
                              dataset_version, split, provider, model, status, mode, parent_run_id, planned_results,
                              started_at, finished_at, wall_seconds, error)
            VALUES (@Id, @ExperimentName, @ExperimentPath, @ExperimentJson, @PromptVersion, @DatasetName,
                    @DatasetVersion, @Split, @Provider, @Model, @Status, @Mode, @ParentRunId, @PlannedResults,
                    @StartedAt, @FinishedAt, @WallSeconds, @Error)
            ON CONFLICT (id) DO UPDATE SET
                experiment_name = excluded.experiment_name, experiment_path = excluded.experiment_path,
                experiment_json = excluded.experiment_json, prompt_version = excluded.prompt_version,
                dataset_name = excluded.dataset_name, dataset_version = excluded.dataset_version,
                split = excluded.split, provider = excluded.provider, model = excluded.model,
                status = excluded.status, mode = excluded.mode, parent_run_id = excluded.parent_run_id,
                planned_results = excluded.planned_results, started_at = excluded.started_at,
                finished_at = excluded.finished_at, wall_seconds = excluded.wall_seconds, error = excluded.error
            """,
            new
            {
                run.Id,
                run.ExperimentName,
                run.ExperimentPath,
                run.ExperimentJson,
                run.PromptVersion,
                run.DatasetName,
                run.DatasetVersion,
                run.Split,
                run.Provider,
                run.Model,
                run.Status,
                run.Mode,
                run.ParentRunId,
                run.PlannedResults,
                StartedAt = SqliteValues.FormatTimestamp(run.StartedAt),
                FinishedAt = SqliteValues.FormatTimestamp(run.FinishedAt),
                run.WallSeconds,
                run.Error,
            },
            cancellationToken: cancellationToken));
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            SelectRuns + " WHERE id = @runId",
            new { runId },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(string? experimentName = null, int limit = 100, CancellationToken cancellationToken = default) =>
        ListAsync(experimentName, mode: null, limit, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(string? experimentName, string mode, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mode);
        return ListAsync(experimentName, mode, limit, cancellationToken);
    }

    private async Task<IReadOnlyList<RunRecord>> ListAsync(string? experimentName, string? mode, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var filters = new List<string>(2);
        if (experimentName is not null)
        {
            filters.Add("experiment_name = @experimentName");
        }

        if (mode is not null)
        {
            filters.Add("mode = @mode");
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(
            SelectRuns
            + (filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters))
            + " ORDER BY started_at DESC, rowid DESC LIMIT @limit",
            new { experimentName, mode, limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var batch = new AppendCommands(connection, transaction);
        foreach (var result in results)
        {
            await batch.WriteAsync(result, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<CaseResult> ReadAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ReadResultsSql;
        command.Parameters.AddWithValue("$runId", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        CaseResult? current = null;
        var scores = new List<ScoreRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var caseId = reader.GetString(0);
            var trial = reader.GetInt32(1);
            if (current is null || current.CaseId != caseId || current.Trial != trial)
            {
                if (current is not null)
                {
                    yield return current with { Scores = scores.ToArray() };
                    scores.Clear();
                }

                current = ReadResult(reader, runId, caseId, trial);
            }

            if (!reader.IsDBNull(13))
            {
                scores.Add(new ScoreRecord(
                    reader.GetString(13),
                    reader.IsDBNull(14) ? null : reader.GetDouble(14),
                    reader.GetInt64(15) != 0,
                    reader.IsDBNull(16) ? null : reader.GetString(16),
                    reader.IsDBNull(17) ? null : reader.GetString(17),
                    reader.IsDBNull(18) ? null : new Core.Scoring.JudgeUsage(
                        reader.GetInt64(18),
                        reader.GetInt64(19),
                        SqliteValues.ParseDecimal(reader.GetString(20)),
                        reader.GetInt64(21) != 0)));
            }
        }

        if (current is not null)
        {
            yield return current with { Scores = scores.ToArray() };
        }
    }

    public async Task<RunSummary> SummarizeAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        connection.CreateAggregate<string?, decimal, string>(
            DecimalSum,
            0m,
            (sum, cost) => cost is null ? sum : sum + SqliteValues.ParseDecimal(cost),
            sum => SqliteValues.FormatDecimal(sum),
            isDeterministic: true);

        // A read transaction, so every figure comes from the same snapshot even while a batch is being appended.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var args = new { runId };
        var totals = await connection.QuerySingleAsync<TotalsRow>(new CommandDefinition(
            $"""
            SELECT COUNT(*) AS Results,
                   COALESCE(SUM(passed), 0) AS Passed,
                   COALESCE(SUM(output IS NOT NULL AND passed = 0), 0) AS Failed,
                   COALESCE(SUM(error_kind IS NOT NULL), 0) AS Errored,
                   COALESCE(SUM(input_tokens), 0) AS InputTokens,
                   COALESCE(SUM(output_tokens), 0) AS OutputTokens,
                   {DecimalSum}(cost) AS Cost,
                   COALESCE(SUM(cache_hit), 0) AS CacheHits
            FROM case_results
            WHERE run_id = @runId
            """,
            args,
            transaction,
            cancellationToken: cancellationToken));

        // "First appearance" is dataset order: the scorer of the earliest (ordinal, trial, position) comes first.
        var scorers = await connection.QueryAsync<ScorerRow>(new CommandDefinition(
            """
            WITH scored AS (
                SELECT s.scorer, s.score, s.passed, s.error,
                       ROW_NUMBER() OVER (ORDER BY r.ordinal, r.trial, r.case_id, s.position) AS seq
                FROM case_scores AS s
                JOIN case_results AS r ON r.run_id = s.run_id AND r.case_id = s.case_id AND r.trial = s.trial
                WHERE s.run_id = @runId
            )
            SELECT scorer AS Scorer, AVG(score) AS Mean, SUM(passed) AS Passed, COUNT(score) AS Scored,
                   COUNT(error) AS Errors
            FROM scored
            GROUP BY scorer
            ORDER BY MIN(seq)
            """,
            args,
            transaction,
            cancellationToken: cancellationToken));

        var errorKinds = await connection.QueryAsync<ErrorKindRow>(new CommandDefinition(
            """
            SELECT error_kind AS Kind, COUNT(*) AS Count
            FROM case_results
            WHERE run_id = @runId AND error_kind IS NOT NULL
            GROUP BY error_kind
            ORDER BY COUNT(*) DESC, error_kind
            """,
            args,
            transaction,
            cancellationToken: cancellationToken));

        var results = checked((int)totals.Results);
        return new RunSummary
        {
            Results = results,
            Passed = checked((int)totals.Passed),
            Failed = checked((int)totals.Failed),
            Errored = checked((int)totals.Errored),
            Scorers = scorers
                .Select(s => new ScorerSummary(s.Scorer, s.Mean, results == 0 ? 0 : (double)s.Passed / results, checked((int)s.Scored), checked((int)s.Errors)))
                .ToList(),
            InputTokens = totals.InputTokens,
            OutputTokens = totals.OutputTokens,
            Cost = SqliteValues.ParseDecimal(totals.Cost),
            CacheHits = checked((int)totals.CacheHits),
            LatencyP50Ms = await LatencyPercentileAsync(connection, transaction, runId, results, 50, cancellationToken),
            LatencyP95Ms = await LatencyPercentileAsync(connection, transaction, runId, results, 95, cancellationToken),
            ErrorKinds = errorKinds.ToDictionary(e => e.Kind, e => checked((int)e.Count), StringComparer.Ordinal),
        };
    }

    /// <summary>Nearest-rank percentile: the value at 1-based rank ceil(p/100 * n) of the latencies in ascending order.</summary>
    private static async Task<double> LatencyPercentileAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string runId,
        int count,
        int percent,
        CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return 0;
        }

        // Integer arithmetic: ceil(0.95 * n) in doubles can land one rank off.
        var rank = (int)(((long)percent * count + 99) / 100);
        return await connection.ExecuteScalarAsync<double>(new CommandDefinition(
            "SELECT latency_ms FROM case_results WHERE run_id = @runId ORDER BY latency_ms LIMIT 1 OFFSET @offset",
            new { runId, offset = Math.Max(rank, 1) - 1 },
            transaction,
            cancellationToken: cancellationToken));
    }

    private static CaseResult ReadResult(SqliteDataReader reader, string runId, string caseId, int trial) => new()
    {
        RunId = runId,
        CaseId = caseId,
        Trial = trial,
        Ordinal = reader.GetInt32(2),
        Output = reader.IsDBNull(3) ? null : reader.GetString(3),
        ErrorKind = reader.IsDBNull(4) ? null : reader.GetString(4),
        ErrorMessage = reader.IsDBNull(5) ? null : reader.GetString(5),
        Passed = reader.GetInt64(6) != 0,
        InputTokens = reader.GetInt32(7),
        OutputTokens = reader.GetInt32(8),
        Cost = SqliteValues.ParseDecimal(reader.GetString(9)),
        CacheHit = reader.GetInt64(10) != 0,
        LatencyMs = reader.GetDouble(11),
        CompletedAt = SqliteValues.ParseTimestamp(reader.GetString(12)),
        Scores = [],
    };

    /// <summary>The three prepared statements of an append, created once per batch and re-bound for every row.</summary>
    private sealed class AppendCommands : IAsyncDisposable
    {
        private readonly SqliteCommand _deleteScores;
        private readonly SqliteCommand _upsertResult;
        private readonly SqliteCommand _insertScore;

        public AppendCommands(SqliteConnection connection, SqliteTransaction transaction)
        {
            _deleteScores = Create(connection, transaction,
                "DELETE FROM case_scores WHERE run_id = $runId AND case_id = $caseId AND trial = $trial",
                ("$runId", SqliteType.Text), ("$caseId", SqliteType.Text), ("$trial", SqliteType.Integer));

            // An upsert keeps the row (and its rowid) in place; the old scores were deleted just before.
            _upsertResult = Create(connection, transaction,
                """
                INSERT INTO case_results (run_id, case_id, trial, ordinal, output, error_kind, error_message, passed,
                                          input_tokens, output_tokens, cost, cache_hit, latency_ms, completed_at)
                VALUES ($runId, $caseId, $trial, $ordinal, $output, $errorKind, $errorMessage, $passed,
                        $inputTokens, $outputTokens, $cost, $cacheHit, $latencyMs, $completedAt)
                ON CONFLICT (run_id, case_id, trial) DO UPDATE SET
                    ordinal = excluded.ordinal, output = excluded.output, error_kind = excluded.error_kind,
                    error_message = excluded.error_message, passed = excluded.passed,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
                    cost = excluded.cost, cache_hit = excluded.cache_hit, latency_ms = excluded.latency_ms,
                    completed_at = excluded.completed_at
                """,
                ("$runId", SqliteType.Text), ("$caseId", SqliteType.Text), ("$trial", SqliteType.Integer),
                ("$ordinal", SqliteType.Integer), ("$output", SqliteType.Text), ("$errorKind", SqliteType.Text),
                ("$errorMessage", SqliteType.Text), ("$passed", SqliteType.Integer), ("$inputTokens", SqliteType.Integer),
                ("$outputTokens", SqliteType.Integer), ("$cost", SqliteType.Text), ("$cacheHit", SqliteType.Integer),
                ("$latencyMs", SqliteType.Real), ("$completedAt", SqliteType.Text));

            _insertScore = Create(connection, transaction,
                """
                INSERT INTO case_scores (run_id, case_id, trial, scorer, position, score, passed, rationale, error,
                                         judge_input_tokens, judge_output_tokens, judge_cost, judge_cache_hit)
                VALUES ($runId, $caseId, $trial, $scorer, $position, $score, $passed, $rationale, $error,
                        $judgeInputTokens, $judgeOutputTokens, $judgeCost, $judgeCacheHit)
                """,
                ("$runId", SqliteType.Text), ("$caseId", SqliteType.Text), ("$trial", SqliteType.Integer),
                ("$scorer", SqliteType.Text), ("$position", SqliteType.Integer), ("$score", SqliteType.Real),
                ("$passed", SqliteType.Integer), ("$rationale", SqliteType.Text), ("$error", SqliteType.Text),
                ("$judgeInputTokens", SqliteType.Integer), ("$judgeOutputTokens", SqliteType.Integer),
                ("$judgeCost", SqliteType.Text), ("$judgeCacheHit", SqliteType.Integer));
        }

        public async Task WriteAsync(CaseResult result, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(result);
            Bind(_deleteScores, result.RunId, result.CaseId, result.Trial);
            await _deleteScores.ExecuteNonQueryAsync(cancellationToken);

            var p = Bind(_upsertResult, result.RunId, result.CaseId, result.Trial);
            p[3].Value = result.Ordinal;
            p[4].Value = SqliteValues.OrDbNull(result.Output);
            p[5].Value = SqliteValues.OrDbNull(result.ErrorKind);
            p[6].Value = SqliteValues.OrDbNull(result.ErrorMessage);
            p[7].Value = result.Passed ? 1 : 0;
            p[8].Value = result.InputTokens;
            p[9].Value = result.OutputTokens;
            p[10].Value = SqliteValues.FormatDecimal(result.Cost);
            p[11].Value = result.CacheHit ? 1 : 0;
            p[12].Value = result.LatencyMs;
            p[13].Value = SqliteValues.FormatTimestamp(result.CompletedAt);
            await _upsertResult.ExecuteNonQueryAsync(cancellationToken);

            var scores = result.Scores ?? [];
            for (var i = 0; i < scores.Count; i++)
            {
                var score = scores[i];
                p = Bind(_insertScore, result.RunId, result.CaseId, result.Trial);
                p[3].Value = SqliteValues.OrDbNull(score.Scorer);
                p[4].Value = i;
                p[5].Value = score.Score is { } value ? value : DBNull.Value;
                p[6].Value = score.Passed ? 1 : 0;
                p[7].Value = SqliteValues.OrDbNull(score.Rationale);
                p[8].Value = SqliteValues.OrDbNull(score.Error);
                var judge = score.Judge;
                p[9].Value = judge is null ? DBNull.Value : judge.InputTokens;
                p[10].Value = judge is null ? DBNull.Value : judge.OutputTokens;
                p[11].Value = judge is null ? DBNull.Value : SqliteValues.FormatDecimal(judge.Cost);
                p[12].Value = judge is null ? DBNull.Value : judge.CacheHit ? 1 : 0;
                await _insertScore.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _deleteScores.DisposeAsync();
            await _upsertResult.DisposeAsync();
            await _insertScore.DisposeAsync();
        }

        private static SqliteParameterCollection Bind(SqliteCommand command, string runId, string caseId, int trial)
        {
            var p = command.Parameters;
            p[0].Value = SqliteValues.OrDbNull(runId);
            p[1].Value = SqliteValues.OrDbNull(caseId);
            p[2].Value = trial;
            return p;
        }

        private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, SqliteType Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Prepare();
            return command;
        }
    }

    private sealed class RunRow
    {
        public string Id { get; set; } = string.Empty;

        public string ExperimentName { get; set; } = string.Empty;

        public string? ExperimentPath { get; set; }

        public string ExperimentJson { get; set; } = string.Empty;

        public string PromptVersion { get; set; } = string.Empty;

        public string DatasetName { get; set; } = string.Empty;

        public string DatasetVersion { get; set; } = string.Empty;

        public string? Split { get; set; }

        public string Provider { get; set; } = string.Empty;

        public string Model { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public string Mode { get; set; } = string.Empty;

        public string? ParentRunId { get; set; }

        public long PlannedResults { get; set; }

        public string StartedAt { get; set; } = string.Empty;

        public string? FinishedAt { get; set; }

        public double WallSeconds { get; set; }

        public string? Error { get; set; }

        public RunRecord ToRecord() => new()
        {
            Id = Id,
            ExperimentName = ExperimentName,
            ExperimentPath = ExperimentPath,
            ExperimentJson = ExperimentJson,
            PromptVersion = PromptVersion,
            DatasetName = DatasetName,
            DatasetVersion = DatasetVersion,
            Split = Split,
            Provider = Provider,
            Model = Model,
            Status = Status,
            Mode = Mode,
            ParentRunId = ParentRunId,
            PlannedResults = checked((int)PlannedResults),
            StartedAt = SqliteValues.ParseTimestamp(StartedAt),
            FinishedAt = SqliteValues.ParseTimestampOrNull(FinishedAt),
            WallSeconds = WallSeconds,
            Error = Error,
        };
    }

    private sealed class TotalsRow
    {
        public long Results { get; set; }

        public long Passed { get; set; }

        public long Failed { get; set; }

        public long Errored { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        public string Cost { get; set; } = "0";

        public long CacheHits { get; set; }
    }

    private sealed class ScorerRow
    {
        public string Scorer { get; set; } = string.Empty;

        public double? Mean { get; set; }

        public long Passed { get; set; }

        public long Scored { get; set; }

        public long Errors { get; set; }
    }

    private sealed class ErrorKindRow
    {
        public string Kind { get; set; } = string.Empty;

        public long Count { get; set; }
    }
}
