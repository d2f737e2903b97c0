using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Scheduling;

namespace EvalLoop.Service.Api;

/// <summary>An experiment's goal and where it stands: its latest run and whether that met the targets.</summary>
public sealed record ExperimentStatus(string Name, string? Goal, IReadOnlyDictionary<string, double> Targets, string? Schedule, string? LatestRunId, string? LatestRunStatus, DateTimeOffset? LatestRunAt, string Status, IReadOnlyList<TargetDto> Scores)
{
    /// <summary>Every experiment the scheduler knows, by name.</summary>
    public static async Task<IReadOnlyList<ExperimentStatus>> ListAsync(EvalLoopServices services, ExperimentSchedules schedules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(schedules);
        var result = new List<ExperimentStatus>();
        foreach (var schedule in await schedules.ListAsync(cancellationToken))
        {
            ExperimentDefinition definition;
            try
            {
                definition = await services.Experiments.LoadAsync(schedule.Experiment, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result.Add(new ExperimentStatus(schedule.Experiment, null, new Dictionary<string, double>(), schedule.Cron, null, null, null, "invalid: " + ex.Message, []));
                continue;
            }

            // Full runs only: an internal run (the suggester's, a goal draft's) is never "the latest run" of an experiment, and a
            // rerun-failed run covers only the cases that failed before, so its pass rate says nothing about the targets.
            var latest = (await services.Runs.ListRunsAsync(definition.Name, RunModes.Full, 20, cancellationToken)).FirstOrDefault(r => r.Status == Core.Runs.RunStatus.Completed);
            if (latest is null)
            {
                result.Add(new ExperimentStatus(definition.Name, definition.Goal, definition.Targets, definition.Schedule, null, null, null, "not run", []));
                continue;
            }

            var summary = await services.Runs.SummarizeAsync(latest.Id, cancellationToken);
            var evaluation = ExperimentEvaluation.Evaluate(definition, summary);
            var scores = evaluation.Scorers.Select(s => new TargetDto(s.Figures.Scorer, s.Figures.PassRate, s.Target, s.Met)).ToList();
            result.Add(new ExperimentStatus(definition.Name, definition.Goal, definition.Targets, definition.Schedule, latest.Id, latest.Status, latest.FinishedAt ?? latest.StartedAt, evaluation.TargetsMet ? "met" : "missed", scores));
        }

        return result;
    }
}
