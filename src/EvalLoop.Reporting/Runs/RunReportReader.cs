using System.Text.Json;
using System.Threading.Channels;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Reporting.Charts;

namespace EvalLoop.Reporting.Runs;

/// <summary>Reads a run and everything around it (dataset cases, clusters, suggestions, earlier runs) into a <see cref="RunReportModel"/>.</summary>
internal sealed class RunReportReader(ReportSources sources, ReportOptions options, TimeProvider time)
{
    public async Task<RunReportModel> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await sources.Runs.GetRunAsync(runId, cancellationToken) ?? throw new RunNotFoundException(runId);
        var experiment = TryReadExperiment(run);
        var stored = await sources.Results.SummarizeAsync(run.Id, cancellationToken);
        var scorers = (experiment?.Scorers.Select(s => s.Name) ?? [])
            .Concat(stored.Scorers.Select(s => s.Scorer))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        // The earlier runs' summaries are read on another thread while this run's results stream by.
        var trend = Task.Run(() => ReadTrendAsync(run, stored, cancellationToken), cancellationToken);
        var analysis = sources.Clusters is null ? null : await sources.Clusters.GetAsync(run.Id, cancellationToken);
        var goal = await ReadGoalAsync(run, experiment, cancellationToken);
        var suggestions = sources.Suggestions is null
            ? []
            : await sources.Suggestions.ListAsync(new SuggestionQuery { RunId = run.Id, Limit = 100 }, cancellationToken);

        var clusterOf = new Dictionary<(string, int), int>();
        var representativeKeys = new HashSet<(string, int)>();
        foreach (var cluster in analysis?.Clusters ?? [])
        {
            foreach (var member in cluster.Members)
            {
                clusterOf.TryAdd((member.CaseId, member.Trial), cluster.Index);
            }

            foreach (var member in cluster.Representatives)
            {
                representativeKeys.Add((member.CaseId, member.Trial));
            }
        }

        var scores = scorers.ToDictionary(s => s, _ => new List<double>(), StringComparer.Ordinal);
        var latencies = new List<double>(Math.Max(stored.Results, 0));
        var slices = new SliceAccumulator(options.MaxSliceValues);
        var representatives = new Dictionary<(string, int), CaseRow>();
        using var table = new CaseTableJson(scorers, options.MaxCellCharacters);

        // The confidence intervals need every result; they are computed from this same pass, on another thread.
        var forStatistics = Channel.CreateBounded<CaseResult>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
        var statistics = Task.Run(
            async () =>
            {
                try
                {
                    return await RunStatistics.AddAsync(stored, forStatistics.Reader.ReadAllAsync(cancellationToken), run.Id, cancellationToken);
                }
                catch (Exception ex)
                {
                    // Unblock the writer: a failure here must surface, not stall the report.
                    forStatistics.Writer.TryComplete(ex);
                    throw;
                }
            },
            cancellationToken);
        await using (var cursor = await DatasetCursor.OpenAsync(sources.Datasets, run, cancellationToken))
        {
            try
            {
                await foreach (var result in sources.Results.ReadAsync(run.Id, cancellationToken))
                {
                    await forStatistics.Writer.WriteAsync(result, cancellationToken);
                    var @case = await cursor.CaseAtAsync(result.Ordinal, result.CaseId);
                    var row = new CaseRow(
                        result,
                        @case?.InputText,
                        @case?.ExpectedText,
                        @case?.Metadata is { ValueKind: JsonValueKind.Object } metadata ? JsonText.ToCompactJson(metadata) : null);
                    var key = (result.CaseId, result.Trial);
                    table.Add(row, clusterOf.TryGetValue(key, out var cluster) ? cluster : -1);
                    if (representativeKeys.Contains(key))
                    {
                        representatives[key] = row;
                    }

                    foreach (var score in result.Scores)
                    {
                        if (score.Score is { } value && double.IsFinite(value) && scores.TryGetValue(score.Scorer, out var list))
                        {
                            list.Add(value);
                        }
                    }

                    latencies.Add(result.LatencyMs);
                    slices.Add(@case?.Metadata, result.Passed);
                }
            }
            finally
            {
                // Also on failure: the statistics task must not wait for results that will never come.
                forStatistics.Writer.TryComplete();
            }

            var summary = await statistics;

            return new RunReportModel
            {
                Run = run,
                Experiment = experiment,
                Summary = summary,
                Evaluation = experiment is null ? new ExperimentEvaluation([]) : ExperimentEvaluation.Evaluate(experiment, summary),
                Scorers = scorers,
                Analysis = analysis,
                Goal = goal,
                Suggestions = suggestions,
                Trend = await trend,
                Scores = scores,
                Latencies = latencies,
                Slices = slices.Result(options.MaxSliceCharts, options.MaxSlicesPerChart),
                Clusters = analysis is null ? [] : FailureClusterView.Join(analysis, m => representatives.TryGetValue((m.CaseId, m.Trial), out var r)
                    ? new ClusterRepresentative(m.CaseId, m.Trial, r.Input, r.Expected, r.Result)
                    : new ClusterRepresentative(m.CaseId, m.Trial, null, null, null)),
                CaseRowsJson = table.Complete(),
                Rows = table.Rows,
                DatasetFound = cursor.Found,
                GeneratedAt = time.GetUtcNow(),
            };
        }
    }

    /// <summary>The goal file the experiment names, with the requirements it covers measured on this run.</summary>
    private async Task<RunGoal?> ReadGoalAsync(RunRecord run, ExperimentDefinition? experiment, CancellationToken cancellationToken)
    {
        if (sources.Goals is null || GoalReference.GoalName(experiment?.Goal) is not { } name)
        {
            return null;
        }

        GoalDefinition? goal;
        try
        {
            goal = await sources.Goals.FindAsync(name, cancellationToken);
        }
        catch (Exception ex) when (ex is Core.Workspace.WorkspaceFileException or IOException)
        {
            // An invalid goal file must not cost the reader the report.
            return new RunGoal(name, null, [], $"The goal file of '{name}' cannot be read: {ex.Message}");
        }

        if (goal is null)
        {
            return new RunGoal(name, null, [], $"The experiment names the goal '{name}', but there is no goal file for it (experiments/goals/{name}.yaml).");
        }

        var requirements = await new GoalTracker(sources.Runs, sources.Results, sources.Datasets, sources.Regressions).EvaluateRunAsync(goal, run, cancellationToken);
        return new RunGoal(name, goal, requirements, null);
    }

    internal static ExperimentDefinition? TryReadExperiment(RunRecord run)
    {
        try
        {
            return ExperimentSnapshot.Of(run);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or RunHasNoExperimentException)
        {
            return null;
        }
    }

    /// <summary>
    /// This run and the experiment's earlier completed full runs, oldest first. Re-runs of failures are left out: they
    /// cover only the cases that failed, so their pass rates are not comparable.
    /// </summary>
    private async Task<IReadOnlyList<TrendPoint>> ReadTrendAsync(RunRecord run, RunSummary summary, CancellationToken cancellationToken)
    {
        var runs = await sources.Runs.ListRunsAsync(run.ExperimentName, RunModes.Full, options.TrendRuns * 4, cancellationToken);
        var earlier = runs
            .Where(r => r.Id != run.Id && r.StartedAt <= run.StartedAt && r.Status == RunStatus.Completed)
            .OrderByDescending(r => r.StartedAt)
            .Take(options.TrendRuns - 1)
            .Reverse()
            .ToList();

        // A summary is a few aggregate queries over one run's results; each runs on its own connection and thread.
        var summaries = await Task.WhenAll(earlier.Select(r => Task.Run(() => sources.Results.SummarizeAsync(r.Id, cancellationToken), cancellationToken)));
        var points = earlier.Select((r, i) => new TrendPoint(r.Id, r.StartedAt, false, Figures(summaries[i]))).ToList();
        points.Add(new TrendPoint(run.Id, run.StartedAt, true, Figures(summary)));
        return points;

        static IReadOnlyDictionary<string, TrendFigures> Figures(RunSummary s) =>
            s.Scorers.GroupBy(x => x.Scorer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new TrendFigures(g.First().Mean, g.First().PassRate), StringComparer.Ordinal);
    }
}
