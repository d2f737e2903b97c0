using EvalLoop.Core.Runs;
using EvalLoop.Core.Scheduling;
using EvalLoop.Service.Composition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// At start-up, resumes in the background the runs left <c>interrupted</c> or <c>running</c> when the host last
/// stopped or was killed (through <see cref="ExperimentPipeline.ResumeAsync"/>: only the missing results are executed,
/// then the run goes through the regression check, analysis, suggestions and report like a job's). Each holds its
/// experiment's <see cref="ExperimentRunGate"/>, so a job of the same experiment waits (or is skipped) meanwhile; runs
/// of one experiment resume one after the other, oldest first. Each resume is recorded in the job history
/// (trigger <c>resume</c>). Only runs whose experiment still has its file in experiments/ are resumed.
/// </summary>
/// <remarks>
/// A run another process (<c>evalloop run</c>) is executing right now is also <c>running</c> in the database; the
/// runner's lock (<see cref="Core.Running.IRunLock"/>) refuses it, and the resume is recorded as skipped.
/// </remarks>
public sealed partial class InterruptedRunResumer(
    ExperimentPipeline pipeline,
    ExperimentRunGate gate,
    ExperimentJobExecutor executor,
    EvalLoopServices services,
    TimeProvider timeProvider,
    ILogger<InterruptedRunResumer> logger) : BackgroundService
{
    /// <summary>How many of the latest runs are searched for interrupted ones.</summary>
    public const int SearchDepth = 500;

    /// <summary>Completes when every resume started at start-up has ended (for tests and diagnostics).</summary>
    public Task Completion => _completion.Task;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Users' runs only (full runs and re-runs of failures), filtered by the store so the suggester's many analysis
            // and verification runs (their own modes) neither crowd them out nor get resumed as runs of the experiment.
            var candidates = await services.Runs.ListRunsForUserAsync(null, includeInternal: false, SearchDepth, stoppingToken);
            var pending = candidates
                .Where(r => r.Status is RunStatus.Interrupted or RunStatus.Running)
                .Where(r => File.Exists(services.Experiments.ResolvePath(r.ExperimentName)))
                .OrderBy(r => r.StartedAt)
                .GroupBy(r => r.ExperimentName, StringComparer.Ordinal)
                .ToList();
            await Task.WhenAll(pending.Select(runs => ResumeAllAsync(runs.Key, runs.ToList(), stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; what was not resumed stays interrupted for the next start.
        }
        catch (Exception ex)
        {
            LogSearchFailed(logger, ex);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async Task ResumeAllAsync(string experiment, IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken)
    {
        foreach (var run in runs)
        {
            using var lease = await gate.EnterAsync(experiment, cancellationToken);
            var started = timeProvider.GetUtcNow();
            LogResuming(logger, run.Id, experiment, run.Status);
            try
            {
                var resumed = await pipeline.ResumeAsync(run.Id, cancellationToken);
                if (await executor.RecordRunAsync(experiment, JobTriggers.Resume, started, resumed, cancellationToken) == JobOutcome.Cancelled)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await executor.RecordAsync(experiment, JobTriggers.Resume, JobOutcome.Cancelled, started, run.Id, "the host stopped");
                return;
            }
            catch (Core.Running.RunBusyException ex)
            {
                LogBusy(logger, run.Id);
                await executor.RecordAsync(experiment, JobTriggers.Resume, JobOutcome.Skipped, started, run.Id, ex.Message);
            }
            catch (Exception ex)
            {
                LogResumeFailed(logger, ex, run.Id);
                await executor.RecordAsync(experiment, JobTriggers.Resume, JobOutcome.Failed, started, run.Id, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming run {RunId} of {Experiment} (left {Status})")]
    private static partial void LogResuming(ILogger logger, string runId, string experiment, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not resuming run {RunId}: another process is executing it")]
    private static partial void LogBusy(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resuming run {RunId} failed")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not look for interrupted runs to resume")]
    private static partial void LogSearchFailed(ILogger logger, Exception exception);
}
