using EvalLoop.Core.Analysis;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Suggestions;
using EvalLoop.Reporting.Charts;

namespace EvalLoop.Reporting.Runs;

/// <summary>Everything a run report shows, read in one pass over the run's results.</summary>
internal sealed class RunReportModel
{
    public required RunRecord Run { get; init; }

    /// <summary>The experiment as it ran; null when the run's snapshot cannot be read.</summary>
    public ExperimentDefinition? Experiment { get; init; }

    public required RunSummary Summary { get; init; }

    public required ExperimentEvaluation Evaluation { get; init; }

    /// <summary>Scorer names in the experiment's order (then any others found in the results).</summary>
    public required IReadOnlyList<string> Scorers { get; init; }

    public ClusterAnalysis? Analysis { get; init; }

    /// <summary>The goal the experiment names (a goal file), measured on this run; null when it names none.</summary>
    public RunGoal? Goal { get; init; }

    public required IReadOnlyList<Suggestion> Suggestions { get; init; }

    public required IReadOnlyList<TrendPoint> Trend { get; init; }

    public required IReadOnlyDictionary<string, List<double>> Scores { get; init; }

    public required IReadOnlyList<double> Latencies { get; init; }

    public required IReadOnlyList<SliceChartData> Slices { get; init; }

    /// <summary>The clusters of <see cref="Analysis"/> by index, with their representatives' cases and results (empty without one).</summary>
    public required IReadOnlyList<FailureClusterView> Clusters { get; init; }

    /// <summary>The case table's rows as UTF-8 JSON, ready for a script block (see <see cref="CaseTableJson"/>).</summary>
    public required ReadOnlyMemory<byte> CaseRowsJson { get; init; }

    public required int Rows { get; init; }

    public required bool DatasetFound { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }
}
