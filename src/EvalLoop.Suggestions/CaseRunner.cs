using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;

namespace EvalLoop.Suggestions;

/// <summary>
/// Runs an experiment on an exact set of cases, as a real run of the experiment's own model through the runner: the
/// cases are snapshotted as a derived dataset (<c>NAME.suggest-verify</c> and the like, a content-hash version like any
/// other, so the exact cases a figure rests on stay auditable) and the run is marked with its purpose (mode) and the run
/// it serves (parent). A completed run of the same experiment on the same snapshot is reused instead of run again.
/// </summary>
internal sealed class CaseRunner(Suggester suggester, RunRecord root, DatasetVersion dataset, ExperimentDefinition working, IProgress<SuggestProgress>? progress)
{
    public ExperimentDefinition Working => working;

    public async Task<RunRecord> RunAsync(IReadOnlyList<DatasetCase> cases, string suffix, string mode, ExperimentDefinition experiment, string parentRunId, CancellationToken cancellationToken)
    {
        var snapshot = await suggester.Datasets.SaveAsync(dataset.Name + suffix, cases, dataset.SourcePath, cancellationToken);
        var json = ExperimentSnapshot.Serialize(experiment);
        var earlier = await suggester.Runs.ListRunsAsync(experiment.Name, 1000, cancellationToken);
        var reuse = earlier.FirstOrDefault(r => r.Mode == mode && r.Status == RunStatus.Completed && r.DatasetVersion == snapshot.Version && r.ExperimentJson == json);
        if (reuse is not null)
        {
            return reuse;
        }

        var runProgress = progress is null ? null : new Progress<RunProgress>(p =>
        {
            if (p.Completed == p.Total)
            {
                progress.Report(new SuggestProgress("run", $"  run {p.RunId}: {p.Completed}/{p.Total} cases, {p.Passed} passed"));
            }
        });
        var outcome = await suggester.Runner.StartAsync(experiment, snapshot, new RunOptions { Mode = mode, ParentRunId = parentRunId }, runProgress, cancellationToken);
        if (outcome.Run.Status != RunStatus.Completed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"Run {outcome.Run.Id} ({mode}, for run {root.Id}) did not complete: {outcome.Run.Status}{(outcome.Run.Error is { } e ? ": " + e : string.Empty)}.");
        }

        return outcome.Run;
    }
}
