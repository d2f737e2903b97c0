using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalLoop.Core.Running;

/// <summary>
/// Runs an experiment over a dataset snapshot: every case (x trials) with bounded concurrency, each finished result
/// streamed to the result store in batched transactions, never holding the whole run in memory. A failing model call
/// or scorer is recorded on its case and the run goes on. Cancellation stops dispatching, keeps every finished result
/// and marks the run interrupted so <see cref="ResumeAsync"/> can complete exactly the missing results.
/// </summary>
public sealed partial class ExperimentRunner(
    IChatClientFactory chatClients,
    IScorerFactory scorerFactory,
    IDatasetStore datasets,
    IRunStore runs,
    IRunResultStore results,
    TimeProvider? timeProvider = null,
    ILogger<ExperimentRunner>? logger = null,
    IRunLock? runLock = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly IRunLock _lock = runLock ?? new InProcessRunLock();
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Starts a new run of <paramref name="experiment"/> on <paramref name="dataset"/>.</summary>
    public async Task<RunOutcome> StartAsync(
        ExperimentDefinition experiment,
        DatasetVersion dataset,
        RunOptions? options = null,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var planned = CountCases(dataset, experiment);
        var run = NewRun(experiment, dataset, planned * experiment.Trials, options.Mode, options.ParentRunId);
        // Taken before the run is stored as running, so no one can see it running and resume it meanwhile.
        using var held = Acquire(run.Id);
        await runs.SaveRunAsync(run, cancellationToken);
        LogRunStarted(_logger, run.Id, experiment.Name, run.PlannedResults);
        return await ExecuteAsync(run, experiment, include: null, options, progress, cancellationToken);
    }

    /// <summary>Completes an interrupted run: only the (case, trial) results it does not have yet are executed.</summary>
    public async Task<RunOutcome> ResumeAsync(
        string runId,
        RunOptions? options = null,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var run = await runs.GetRunAsync(runId, cancellationToken)
            ?? throw new RunNotFoundException(runId);
        // Read again once held: whoever held it before may have completed it.
        using var held = Acquire(run.Id);
        run = await runs.GetRunAsync(runId, cancellationToken) ?? throw new RunNotFoundException(runId);
        var experiment = ExperimentSnapshot.Of(run);
        if (run.Status == RunStatus.Completed)
        {
            var summary = await results.SummarizeWithStatisticsAsync(run.Id, cancellationToken);
            return new RunOutcome(run, summary, ExperimentEvaluation.Evaluate(experiment, summary));
        }

        HashSet<(string, int)>? include = null;
        if (run.Mode == RunModes.RerunFailed && run.ParentRunId is { } parent)
        {
            include = await FailedKeysAsync(parent, cancellationToken);
        }

        return await ExecuteAsync(run, experiment, include, options ?? new RunOptions(), progress, cancellationToken);
    }

    /// <summary>Re-runs only the failed or errored results of <paramref name="sourceRunId"/> into a new run, on the same dataset version.</summary>
    public async Task<RunOutcome> RerunFailedAsync(
        ExperimentDefinition experiment,
        string sourceRunId,
        RunOptions? options = null,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var source = await runs.GetRunAsync(sourceRunId, cancellationToken)
            ?? throw new RunNotFoundException(sourceRunId);
        var dataset = await datasets.FindAsync(source.DatasetName, source.DatasetVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Dataset version {source.DatasetVersion} of run {sourceRunId} is not in the database.");
        var include = await FailedKeysAsync(sourceRunId, cancellationToken);
        var sourceExperiment = ExperimentSnapshot.Of(source);
        experiment = experiment with { Split = sourceExperiment.Split, Limit = sourceExperiment.Limit };
        var run = NewRun(experiment, dataset, include.Count, mode: RunModes.RerunFailed, parent: sourceRunId);
        using var held = Acquire(run.Id);
        await runs.SaveRunAsync(run, cancellationToken);
        LogRunStarted(_logger, run.Id, experiment.Name, run.PlannedResults);
        return await ExecuteAsync(run, experiment, include, options ?? new RunOptions(), progress, cancellationToken);
    }

    private IDisposable Acquire(string runId) => _lock.TryAcquire(runId) ?? throw new RunBusyException(runId);

    private async Task<HashSet<(string, int)>> FailedKeysAsync(string runId, CancellationToken cancellationToken)
    {
        var keys = new HashSet<(string, int)>();
        await foreach (var result in results.ReadAsync(runId, cancellationToken))
        {
            if (!result.Passed)
            {
                keys.Add((result.CaseId, result.Trial));
            }
        }

        return keys;
    }

    private async Task<RunOutcome> ExecuteAsync(
        RunRecord run,
        ExperimentDefinition experiment,
        HashSet<(string CaseId, int Trial)>? include,
        RunOptions options,
        IProgress<RunProgress>? progress,
        CancellationToken cancellationToken)
    {
        IScorer[] scorers;
        PromptTemplate? system;
        PromptTemplate user;
        IChatClient client;
        var done = new HashSet<(string, int)>();
        var counters = new Counters();
        try
        {
            scorers = experiment.Scorers.Select(scorerFactory.Create).ToArray();
            system = experiment.Prompt.System is { } s ? PromptTemplate.Parse(s) : null;
            user = PromptTemplate.Parse(experiment.Prompt.User);
            client = chatClients.Create(experiment.Model, new ChatClientCreationOptions { UseCache = options.UseCache });

            // What is already stored is skipped: this is what makes resume complete exactly the missing results.
            await foreach (var existing in results.ReadAsync(run.Id, cancellationToken))
            {
                done.Add((existing.CaseId, existing.Trial));
                counters.Add(existing);
            }
        }
        catch (Exception ex)
        {
            // The run never started (e.g. a missing API key): it must not stay "running" for ever, nor be resumed by a
            // service as if it had been cut off; cancelled here, it is interrupted and can be resumed.
            var interrupted = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            await runs.SaveRunAsync(run with { Status = interrupted ? RunStatus.Interrupted : RunStatus.Failed, Error = interrupted ? null : ex.Message }, CancellationToken.None);
            throw;
        }

        run = run with { Status = RunStatus.Running, FinishedAt = null, Error = null };
        await runs.SaveRunAsync(run, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<CaseResult>(new BoundedChannelOptions(Math.Max(256, options.BatchSize * 4))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var writer = Task.Run(() => WriteAsync(channel.Reader, options, stop), CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        var dispatch = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Concurrency ?? experiment.Concurrency,
            CancellationToken = stop.Token,
        };

        string? failure = null;
        try
        {
            progress?.Report(counters.Snapshot(run));
            var work = EnumerateWorkAsync(run, experiment, include, done, stop.Token);
            await Parallel.ForEachAsync(work, dispatch, async (item, token) =>
            {
                var result = await ExecuteCaseAsync(run.Id, item, experiment, system, user, client, scorers, token);
                await channel.Writer.WriteAsync(result, CancellationToken.None);
                counters.Add(result);
                progress?.Report(counters.Snapshot(run));
            });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted by the caller, or stopped because the writer failed (reported below).
        }
        catch (Exception ex)
        {
            failure = ex.Message;
            LogRunFailed(_logger, run.Id, ex);
        }
        finally
        {
            channel.Writer.TryComplete();
        }

        try
        {
            await writer;
        }
        catch (Exception ex)
        {
            failure ??= $"Could not store results: {ex.Message}";
            LogRunFailed(_logger, run.Id, ex);
        }

        stopwatch.Stop();
        var status = failure is not null ? RunStatus.Failed
            : cancellationToken.IsCancellationRequested ? RunStatus.Interrupted
            : RunStatus.Completed;
        run = run with
        {
            Status = status,
            FinishedAt = status == RunStatus.Completed ? _time.GetUtcNow() : null,
            WallSeconds = run.WallSeconds + stopwatch.Elapsed.TotalSeconds,
            Error = failure,
        };
        await runs.SaveRunAsync(run, CancellationToken.None);
        var summary = await results.SummarizeWithStatisticsAsync(run.Id, CancellationToken.None);
        LogRunFinished(_logger, run.Id, status, summary.Results);
        return new RunOutcome(run, summary, ExperimentEvaluation.Evaluate(experiment, summary));
    }

    private async IAsyncEnumerable<WorkItem> EnumerateWorkAsync(
        RunRecord run,
        ExperimentDefinition experiment,
        HashSet<(string CaseId, int Trial)>? include,
        HashSet<(string, int)> done,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ordinal = 0;
        await foreach (var @case in datasets.ReadCasesAsync(run.DatasetVersion, experiment.Split, cancellationToken))
        {
            if (experiment.Limit is { } limit && ordinal >= limit)
            {
                yield break;
            }

            for (var trial = 1; trial <= experiment.Trials; trial++)
            {
                var key = (@case.Id, trial);
                if ((include is null || include.Contains(key)) && !done.Contains(key))
                {
                    yield return new WorkItem(@case, ordinal, trial);
                }
            }

            ordinal++;
        }
    }

    private async Task<CaseResult> ExecuteCaseAsync(
        string runId,
        WorkItem item,
        ExperimentDefinition experiment,
        PromptTemplate? system,
        PromptTemplate user,
        IChatClient client,
        IScorer[] scorers,
        CancellationToken cancellationToken)
    {
        var result = new CaseResult
        {
            RunId = runId,
            CaseId = item.Case.Id,
            Trial = item.Trial,
            Ordinal = item.Ordinal,
            Scores = [],
            CompletedAt = _time.GetUtcNow(),
        };

        List<ChatMessage> messages;
        try
        {
            messages = system is null ? [] : [new ChatMessage(ChatRole.System, system.Render(item.Case))];
            messages.Add(new ChatMessage(ChatRole.User, user.Render(item.Case)));
        }
        catch (PromptTemplateException ex)
        {
            return result with { ErrorKind = "template", ErrorMessage = ex.Message };
        }

        var started = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            var chatOptions = experiment.Trials > 1
                ? new ChatOptions { AdditionalProperties = new() { [ChatResponseAnnotations.TrialOption] = item.Trial } }
                : null;
            response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var kind = ModelErrorClassifier.Classify(ex);
            LogCaseError(_logger, runId, item.Case.Id, kind, ex.Message);
            return result with
            {
                ErrorKind = kind,
                ErrorMessage = ex.Message,
                LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                CompletedAt = _time.GetUtcNow(),
            };
        }

        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var output = response.Text;
        var scores = new ScoreRecord[scorers.Length];
        var passed = true;
        for (var i = 0; i < scorers.Length; i++)
        {
            var scorer = scorers[i];
            ScoreResult score;
            try
            {
                score = await scorer.ScoreAsync(new ScoringInput(item.Case, output, Trial: item.Trial), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                score = ScoreResult.Failure($"{ex.GetType().Name}: {ex.Message}");
            }

            scores[i] = new ScoreRecord(scorer.Definition.Name, score.Score, score.Passed && score.Error is null, score.Rationale, score.Error, score.Judge);
            passed &= scores[i].Passed;
        }

        var cacheHit = response.IsCacheHit();
        return result with
        {
            Output = output,
            Scores = scores,
            Passed = passed,
            InputTokens = (int)(response.Usage?.InputTokenCount ?? 0),
            OutputTokens = (int)(response.Usage?.OutputTokenCount ?? 0),
            Cost = response.GetCost(),
            CacheHit = cacheHit,
            LatencyMs = latency,
            CompletedAt = _time.GetUtcNow(),
        };
    }

    private async Task WriteAsync(ChannelReader<CaseResult> reader, RunOptions options, CancellationTokenSource stop)
    {
        var batch = new List<CaseResult>(options.BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                var deadline = Stopwatch.GetTimestamp() + (long)(options.FlushInterval.TotalSeconds * Stopwatch.Frequency);
                while (batch.Count < options.BatchSize)
                {
                    if (reader.TryRead(out var item))
                    {
                        batch.Add(item);
                        continue;
                    }

                    var remaining = TimeSpan.FromSeconds((deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    using var wait = new CancellationTokenSource(remaining);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException) when (wait.IsCancellationRequested)
                    {
                        break;
                    }
                }

                if (batch.Count > 0)
                {
                    await results.AppendAsync(batch, CancellationToken.None);
                    batch.Clear();
                }
            }
        }
        catch
        {
            // Storage failed: stop dispatching new cases; the caller marks the run failed.
            await stop.CancelAsync();
            throw;
        }
    }

    private static int CountCases(DatasetVersion dataset, ExperimentDefinition experiment)
    {
        var count = experiment.Split is { } split
            ? dataset.SplitCounts.TryGetValue(split, out var n) ? n : 0
            : dataset.CaseCount;
        if (count == 0)
        {
            throw new InvalidOperationException(experiment.Split is null
                ? $"Dataset {dataset.Name} has no cases."
                : $"Dataset {dataset.Name} has no cases in split '{experiment.Split}' (splits: {string.Join(", ", dataset.SplitCounts.Keys)}).");
        }

        return experiment.Limit is { } limit ? Math.Min(limit, count) : count;
    }

    private RunRecord NewRun(ExperimentDefinition experiment, DatasetVersion dataset, int planned, string mode, string? parent)
    {
        var now = _time.GetUtcNow();
        return new RunRecord
        {
            Id = $"{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}",
            ExperimentName = experiment.Name,
            ExperimentPath = experiment.SourcePath,
            ExperimentJson = ExperimentSnapshot.Serialize(experiment),
            PromptVersion = PromptVersion(experiment.Prompt),
            DatasetName = dataset.Name,
            DatasetVersion = dataset.Version,
            Split = experiment.Split,
            Provider = experiment.Model.Provider,
            Model = experiment.Model.Name,
            Status = RunStatus.Running,
            Mode = mode,
            ParentRunId = parent,
            PlannedResults = planned,
            StartedAt = now,
        };
    }

    /// <summary>A short content hash of the prompt templates.</summary>
    public static string PromptVersion(PromptDefinition prompt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((prompt.System ?? string.Empty) + "\u0000" + prompt.User)))[..12];

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {Experiment} started: {Planned} results planned")]
    private static partial void LogRunStarted(ILogger logger, string runId, string experiment, int planned);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} {Status}: {Results} results stored")]
    private static partial void LogRunFinished(ILogger logger, string runId, string status, int results);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed")]
    private static partial void LogRunFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} case {CaseId}: {Kind}: {Message}")]
    private static partial void LogCaseError(ILogger logger, string runId, string caseId, string kind, string message);

    private sealed record WorkItem(DatasetCase Case, int Ordinal, int Trial);

    private sealed class Counters
    {
        private int _completed;
        private int _passed;
        private int _errored;
        private int _cacheHits;

        public void Add(CaseResult result)
        {
            Interlocked.Increment(ref _completed);
            if (result.Passed)
            {
                Interlocked.Increment(ref _passed);
            }

            if (result.ErrorKind is not null)
            {
                Interlocked.Increment(ref _errored);
            }

            if (result.CacheHit)
            {
                Interlocked.Increment(ref _cacheHits);
            }
        }

        public RunProgress Snapshot(RunRecord run) =>
            new(run.Id, Volatile.Read(ref _completed), run.PlannedResults, Volatile.Read(ref _passed), Volatile.Read(ref _errored), Volatile.Read(ref _cacheHits));
    }
}

/// <summary>No run with that id.</summary>
public sealed class RunNotFoundException(string runId) : Exception($"No run with id '{runId}'.")
{
    public string RunId { get; } = runId;
}
