using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Reporting;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Regressions;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// One background iteration of the loop for an experiment: run (or resume an interrupted run), then compare it with
/// its baseline (a regression is recorded and sent to the webhook), analyze the failures, propose and verify
/// suggestions, and write the HTML report. Only the run can fail the iteration; a failing later step is logged and the
/// run stands.
/// </summary>
public sealed partial class ExperimentPipeline(
    EvalLoopServices services,
    EvalLoopServiceOptions options,
    RegressionDetector regressions,
    RegressionWebhook webhook,
    ILogger<ExperimentPipeline> logger)
{
    /// <summary>
    /// Runs <paramref name="experiment"/> (a name in experiments/ or a path) through the loop; returns the run.
    /// <paramref name="progress"/> hears of the run from its start, so a caller knows the run's id even when this throws.
    /// </summary>
    public async Task<RunRecord> RunAsync(string experiment, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var definition = await services.Experiments.LoadAsync(experiment, cancellationToken);
        var dataset = await services.Snapshots.SnapshotAsync(definition.Dataset, cancellationToken);
        var outcome = await services.Runner.StartAsync(definition, dataset, new RunOptions { UseCache = options.UseCache }, progress, cancellationToken);
        return await AfterRunAsync(definition, outcome, cancellationToken);
    }

    /// <summary>Completes the interrupted run <paramref name="runId"/> (only its missing results), then goes on like <see cref="RunAsync"/>.</summary>
    public async Task<RunRecord> ResumeAsync(string runId, CancellationToken cancellationToken = default)
    {
        var outcome = await services.Runner.ResumeAsync(runId, new RunOptions { UseCache = options.UseCache }, progress: null, cancellationToken);
        return await AfterRunAsync(ExperimentSnapshot.Of(outcome.Run), outcome, cancellationToken);
    }

    private async Task<RunRecord> AfterRunAsync(ExperimentDefinition definition, RunOutcome outcome, CancellationToken cancellationToken)
    {
        LogRunFinished(logger, outcome.Run.Id, definition.Name, outcome.Run.Status);
        if (outcome.Run.Status != RunStatus.Completed)
        {
            return outcome.Run;
        }

        var path = HtmlReportGeneratorExtensions.RunReportPath(services.Layout.ReportsDirectory, outcome.Run.Id);
        await StepAsync("regression check", outcome.Run.Id, async () =>
        {
            var found = await regressions.DetectAsync(outcome.Run, cancellationToken);
            if (found.Count > 0)
            {
                LogRegression(logger, outcome.Run.Id, definition.Name, found[0].BaselineRunId, string.Join(", ", found.Select(r => r.Scorer)));
                await webhook.NotifyAsync(outcome.Run, found, cancellationToken);
            }

            return found;
        }, cancellationToken);

        var failures = outcome.Summary.Failed + outcome.Summary.Errored;
        if (failures > 0 && (definition.Analyze || options.Suggest))
        {
            await StepAsync("analyze", outcome.Run.Id, () => services.Analyzer.AnalyzeAsync(outcome.Run.Id, progress: null, cancellationToken), cancellationToken);
        }

        if (failures > 0 && options.Suggest)
        {
            await StepAsync("suggest", outcome.Run.Id, () => services.Suggester.SuggestAsync(outcome.Run.Id, progress: null, cancellationToken), cancellationToken);
        }

        await StepAsync("report", outcome.Run.Id, () => services.Reports.WriteRunReportFileAsync(outcome.Run.Id, path, cancellationToken), cancellationToken);
        return outcome.Run;
    }

    private async Task StepAsync<T>(string step, string runId, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStepFailed(logger, ex, step, runId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {Experiment} finished: {Status}")]
    private static partial void LogRunFinished(ILogger logger, string runId, string experiment, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {Experiment} is a regression against baseline {BaselineRunId} on {Scorers}")]
    private static partial void LogRegression(ILogger logger, string runId, string experiment, string baselineRunId, string scorers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} step after run {RunId} failed; the run stands")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string step, string runId);
}
