using EvalLoop.Core.Runs;
using EvalLoop.Core.Scheduling;
using EvalLoop.Service.Composition;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// What an experiment's Quartz job does (<see cref="ExperimentJob"/> and <see cref="SkippingExperimentJob"/> differ
/// only in their overlap policy): take the experiment's <see cref="ExperimentRunGate"/> (wait for it, or skip), run
/// <see cref="ExperimentPipeline"/>, and record the execution in the job history. A failed job is logged, recorded
/// with its message and reported to Quartz; it never stops the host.
/// </summary>
public sealed partial class ExperimentJobExecutor(
    ExperimentPipeline pipeline,
    ExperimentRunGate gate,
    EvalLoopServices services,
    TimeProvider timeProvider,
    ILogger<ExperimentJobExecutor> logger)
{
    /// <summary>Runs the job of <paramref name="context"/> under <paramref name="policy"/>.</summary>
    public async Task ExecuteAsync(IJobExecutionContext context, OverlapPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var experiment = context.MergedJobDataMap.GetString(ExperimentJob.ExperimentKey) ?? context.JobDetail.Key.Name;
        var trigger = context.Trigger.Key.Equals(new TriggerKey(experiment, ExperimentSchedules.Group)) ? JobTriggers.Schedule : JobTriggers.Manual;
        var startedAt = timeProvider.GetUtcNow();
        IDisposable? lease;
        try
        {
            lease = policy == OverlapPolicy.Skip ? gate.TryEnter(experiment) : await gate.EnterAsync(experiment, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host stopped while this job waited for the experiment's running job or resume.
            await RecordAsync(experiment, trigger, JobOutcome.Cancelled, startedAt, runId: null, "the host stopped while the job waited for the running one");
            return;
        }

        using var held = lease;
        if (lease is null)
        {
            LogSkipped(logger, experiment);
            await RecordAsync(experiment, trigger, JobOutcome.Skipped, startedAt, runId: null, $"skipped: a run of {experiment} was still in progress (on_overlap: skip)");
            return;
        }

        // The run's id as soon as it starts: a job cancelled or failed after that (mid-run, or in a step after the run)
        // still links the run it left behind.
        var runStarted = new RunIdCapture();
        try
        {
            var run = await pipeline.RunAsync(experiment, runStarted, cancellationToken);
            context.Result = run.Id;
            await RecordRunAsync(experiment, trigger, startedAt, run, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the run is stored as interrupted and is resumed at the next start.
            LogCancelled(logger, experiment);
            await RecordAsync(experiment, trigger, JobOutcome.Cancelled, startedAt, runStarted.RunId, "the host stopped");
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, experiment);
            await RecordAsync(experiment, trigger, JobOutcome.Failed, startedAt, runStarted.RunId, ex.Message);
            throw new JobExecutionException(ex);
        }
    }

    /// <summary>
    /// Records the execution that ended with <paramref name="run"/> and returns its outcome: succeeded when the run
    /// completed, cancelled when it was interrupted because the host is stopping, else failed with the run's error.
    /// </summary>
    internal async Task<string> RecordRunAsync(string experiment, string trigger, DateTimeOffset started, RunRecord run, CancellationToken cancellationToken)
    {
        var outcome = run.Status switch
        {
            RunStatus.Completed => JobOutcome.Succeeded,
            RunStatus.Interrupted when cancellationToken.IsCancellationRequested => JobOutcome.Cancelled,
            _ => JobOutcome.Failed,
        };
        await RecordAsync(experiment, trigger, outcome, started, run.Id, outcome == JobOutcome.Failed ? run.Error ?? $"the run ended {run.Status}" : null);
        return outcome;
    }

    /// <summary>Records a finished execution; a failure to record is logged, never thrown (the job's outcome stands).</summary>
    internal async Task RecordAsync(string experiment, string trigger, string outcome, DateTimeOffset started, string? runId, string? error)
    {
        try
        {
            await services.JobHistory.RecordAsync(new JobExecution
            {
                ExperimentName = experiment,
                Trigger = trigger,
                Outcome = outcome,
                StartedAt = started,
                FinishedAt = timeProvider.GetUtcNow(),
                RunId = runId,
                Error = error,
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogNotRecorded(logger, ex, experiment);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The job of {Experiment} was cancelled by the host stopping")]
    private static partial void LogCancelled(ILogger logger, string experiment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a trigger of {Experiment}: a run of it is still in progress (overlap policy: skip)")]
    private static partial void LogSkipped(ILogger logger, string experiment);

    [LoggerMessage(Level = LogLevel.Error, Message = "The job of {Experiment} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string experiment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the job execution of {Experiment} in the history")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string experiment);
}
