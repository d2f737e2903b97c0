using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;

namespace EvalLoop.Core.Goals;

/// <summary>
/// Keeps score against a goal: for each covering (experiment, scorer, slice) it measures the scorer's pass rate in the
/// experiment's completed runs, newest first. Status: <see cref="GoalStatus.Met"/> when the latest run reaches the
/// target; <see cref="GoalStatus.Regressed"/> when it does not but its last approved baseline did (the same baseline the
/// service's regression detector uses, <see cref="RunBaseline"/>: an earlier run of the experiment on the same dataset
/// version and split, the first of the run's prompt version if there is one, and never a run flagged as a regression
/// when <paramref name="regressions"/> is given); <see cref="GoalStatus.Missed"/> otherwise. A measured requirement
/// without a target is <see cref="GoalStatus.NoTarget"/>: its pass rate is reported, but it is never met.
/// </summary>
public sealed class GoalTracker(IRunStore runs, IRunResultStore results, IDatasetStore datasets, IRegressionStore? regressions = null)
{
    /// <summary>How many of the experiment's latest full runs are searched for its latest completed one.</summary>
    public int History { get; init; } = 20;

    public async Task<GoalReport> EvaluateAsync(GoalDefinition goal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goal);
        var requirements = new List<RequirementReport>();
        var problems = new List<string>();
        var baselines = new Dictionary<string, RunRecord?>(StringComparer.Ordinal);
        var latestRuns = new Dictionary<string, RunRecord?>(StringComparer.Ordinal);
        foreach (var requirement in goal.Requirements)
        {
            if (!requirement.IsCovered)
            {
                requirements.Add(new RequirementReport(requirement, [], GoalStatus.Uncovered));
                continue;
            }

            var coverage = new List<CoverageReport>();
            foreach (var cover in requirement.CoveredBy)
            {
                var report = await MeasureAsync(cover, requirement.Target, latestRuns, baselines, cancellationToken);
                if (report.Problem is { } problem)
                {
                    problems.Add($"{requirement.Id}: {problem}");
                }

                coverage.Add(report);
            }

            requirements.Add(new RequirementReport(requirement, coverage, GoalStatus.Overall(coverage.Select(c => c.Status))));
        }

        return new GoalReport(goal, requirements, GoalStatus.Overall(requirements.Select(r => r.Status)), problems);
    }

    /// <summary>
    /// The requirements that <paramref name="run"/>'s experiment covers, measured on that run rather than on the latest
    /// one: each covering scorer's pass rate in the run against the target; <see cref="GoalStatus.Regressed"/> when the
    /// run's baseline (<see cref="RunBaseline"/>, which started before it) met the target. Only the coverage by this
    /// experiment is listed; requirements it does not cover are left out.
    /// </summary>
    public async Task<IReadOnlyList<RequirementReport>> EvaluateRunAsync(GoalDefinition goal, RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goal);
        ArgumentNullException.ThrowIfNull(run);
        var baselines = new Dictionary<string, RunRecord?>(StringComparer.Ordinal);
        var requirements = new List<RequirementReport>();
        foreach (var requirement in goal.Requirements)
        {
            var coverage = new List<CoverageReport>();
            foreach (var cover in requirement.CoveredBy.Where(c => c.Experiment == run.ExperimentName))
            {
                coverage.Add(await MeasureAsync(run, cover, requirement.Target, baselines, cancellationToken));
            }

            if (coverage.Count > 0)
            {
                requirements.Add(new RequirementReport(requirement, coverage, GoalStatus.Overall(coverage.Select(c => c.Status))));
            }
        }

        return requirements;
    }

    /// <summary>
    /// The covering scorer's pass rate (on its slice) in each of the experiment's last <paramref name="runs"/> completed
    /// full runs, oldest first; a run that has no such scorer or no case in the slice has a null rate.
    /// </summary>
    public async Task<IReadOnlyList<GoalTrendPoint>> TrendAsync(GoalCoverage cover, int runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cover);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var completed = (await CompletedRunsAsync(cover.Experiment, cancellationToken)).Take(runs).Reverse().ToList();
        var points = new List<GoalTrendPoint>(completed.Count);
        foreach (var run in completed)
        {
            var (rate, cases, _) = await PassRateAsync(run, cover, cancellationToken);
            points.Add(new GoalTrendPoint(run.Id, run.StartedAt, rate, cases));
        }

        return points;
    }

    /// <summary>The experiment's completed full runs, newest first (at most <see cref="History"/> + 1).</summary>
    private async Task<List<RunRecord>> CompletedRunsAsync(string experiment, CancellationToken cancellationToken) =>
        (await runs.ListRunsAsync(experiment, RunModes.Full, History + 1, cancellationToken))
            .Where(r => r.Status == RunStatus.Completed)
            .ToList();

    /// <summary>Measures the experiment's latest completed full run; <paramref name="latestRuns"/> caches it per experiment across the coverages of one evaluation.</summary>
    private async Task<CoverageReport> MeasureAsync(GoalCoverage cover, double? target, Dictionary<string, RunRecord?> latestRuns, Dictionary<string, RunRecord?> baselines, CancellationToken cancellationToken)
    {
        if (!latestRuns.TryGetValue(cover.Experiment, out var latest))
        {
            latest = (await CompletedRunsAsync(cover.Experiment, cancellationToken)).FirstOrDefault();
            latestRuns[cover.Experiment] = latest;
        }

        return latest is null
            ? new CoverageReport(cover, GoalStatus.NotRun, null, null, 0, null, null, null)
            : await MeasureAsync(latest, cover, target, baselines, cancellationToken);
    }

    /// <summary>
    /// Measures <paramref name="latest"/>; when it misses the target, it regressed if its baseline met it.
    /// <paramref name="baselines"/> caches each run's baseline across the coverages of one evaluation.
    /// </summary>
    private async Task<CoverageReport> MeasureAsync(RunRecord latest, GoalCoverage cover, double? target, Dictionary<string, RunRecord?> baselines, CancellationToken cancellationToken)
    {
        var (rate, cases, problem) = await PassRateAsync(latest, cover, cancellationToken);
        if (rate is null)
        {
            return new CoverageReport(cover, GoalStatus.NotRun, latest.Id, null, cases, null, null, problem);
        }

        if (target is not { } t)
        {
            return new CoverageReport(cover, GoalStatus.NoTarget, latest.Id, rate, cases, null, null, null);
        }

        if (rate >= t)
        {
            return new CoverageReport(cover, GoalStatus.Met, latest.Id, rate, cases, null, null, null);
        }

        if (!baselines.TryGetValue(latest.Id, out var baseline))
        {
            baseline = await RunBaseline.FindAsync(runs, regressions, latest, cancellationToken);
            baselines[latest.Id] = baseline;
        }

        if (baseline is not null && (await PassRateAsync(baseline, cover, cancellationToken)).Rate is { } baselineRate && baselineRate >= t)
        {
            return new CoverageReport(cover, GoalStatus.Regressed, latest.Id, rate, cases, baseline.Id, baselineRate, null);
        }

        return new CoverageReport(cover, GoalStatus.Missed, latest.Id, rate, cases, null, null, null);
    }

    /// <summary>The scorer's pass rate over the slice's (case, trial) results; an errored case counts as a fail.</summary>
    private async Task<(double? Rate, int Cases, string? Problem)> PassRateAsync(RunRecord run, GoalCoverage cover, CancellationToken cancellationToken)
    {
        HashSet<string>? sliceIds = null;
        if (cover.Slice is { Count: > 0 } slice)
        {
            sliceIds = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var c in datasets.ReadCasesAsync(run.DatasetVersion, run.Split, cancellationToken))
            {
                if (slice.All(kv => c.Metadata is { ValueKind: System.Text.Json.JsonValueKind.Object } m
                    && m.TryGetProperty(kv.Key, out var value) && JsonText.ToText(value) == kv.Value))
                {
                    sliceIds.Add(c.Id);
                }
            }
        }

        int total = 0, passed = 0;
        var scored = false;
        await foreach (var result in results.ReadAsync(run.Id, cancellationToken))
        {
            if (sliceIds is not null && !sliceIds.Contains(result.CaseId))
            {
                continue;
            }

            var score = result.Scores.FirstOrDefault(s => s.Scorer == cover.Scorer);
            scored |= score is not null;
            total++;
            if (score is { Passed: true } && result.ErrorKind is null)
            {
                passed++;
            }
        }

        if (total == 0)
        {
            return (null, 0, $"run {run.Id} has no cases in the slice {cover.SliceText}");
        }

        return scored
            ? ((double)passed / total, total, null)
            : (null, total, $"run {run.Id} of {cover.Experiment} has no scorer '{cover.Scorer}'");
    }
}
