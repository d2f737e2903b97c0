using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Reporting;
using EvalLoop.Service.Composition;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Scheduling;

/// <summary>
/// One background iteration of the loop for an experiment: run, then analyze the failures, propose and verify
/// suggestions, and write the HTML report. Only the run can fail the iteration; a failing later step is logged and the
/// run stands.
/// </summary>
public sealed partial class ExperimentPipeline(EvalLoopServices services, EvalLoopServiceOptions options, ILogger<ExperimentPipeline> logger)
{
    /// <summary>Runs <paramref name="experiment"/> (a name in experiments/ or a path) through the loop; returns the run.</summary>
    public async Task<RunRecord> RunAsync(string experiment, CancellationToken cancellationToken = default)
    {
        var definition = await services.Experiments.LoadAsync(experiment, cancellationToken);
        var dataset = await services.Snapshots.SnapshotAsync(definition.Dataset, cancellationToken);
        var outcome = await services.Runner.StartAsync(definition, dataset, new RunOptions(), progress: null, cancellationToken);
        LogRunFinished(logger, outcome.Run.Id, definition.Name, outcome.Run.Status);
        if (outcome.Run.Status != RunStatus.Completed)
        {
            return outcome.Run;
        }

        var failures = outcome.Summary.Failed + outcome.Summary.Errored;
        if (failures > 0 && (definition.Analyze || options.Suggest))
        {
            await StepAsync("analyze", outcome.Run.Id, () => services.Analyzer.AnalyzeAsync(outcome.Run.Id, progress: null, cancellationToken), cancellationToken);
        }

        if (failures > 0 && options.Suggest)
        {
            await StepAsync("suggest", outcome.Run.Id, () => services.Suggester.SuggestAsync(outcome.Run.Id, progress: null, cancellationToken), cancellationToken);
        }

        var path = HtmlReportGeneratorExtensions.RunReportPath(services.Layout.ReportsDirectory, outcome.Run.Id);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} step after run {RunId} failed; the run stands")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string step, string runId);
}
