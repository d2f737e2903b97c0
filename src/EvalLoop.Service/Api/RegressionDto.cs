using EvalLoop.Core.Runs;
using EvalLoop.Service.Composition;

namespace EvalLoop.Service.Api;

/// <summary>A run flagged as a regression: its baseline and the scorers whose pass rate dropped significantly.</summary>
public sealed record RegressionDto(string RunId, string BaselineRunId, string Experiment, DateTimeOffset DetectedAt, IReadOnlyList<ScorerRegressionDto> Scorers)
{
    /// <summary>The regression of one run from its stored rows; null when there are none (the run is not flagged).</summary>
    public static RegressionDto? From(IReadOnlyList<RunRegression> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count == 0 ? null : Group(rows)[0];
    }

    /// <summary>Rows grouped by run, in the order the runs first appear.</summary>
    public static IReadOnlyList<RegressionDto> Group(IEnumerable<RunRegression> rows) =>
        rows.GroupBy(r => r.RunId, StringComparer.Ordinal)
            .Select(g => new RegressionDto(
                g.Key,
                g.First().BaselineRunId,
                g.First().ExperimentName,
                g.Max(r => r.DetectedAt),
                g.OrderBy(r => r.Scorer, StringComparer.Ordinal).Select(r => new ScorerRegressionDto(r.Scorer, r.BaselinePassRate, r.PassRate, r.PValue, r.Pairs)).ToList()))
            .ToList();

    /// <summary>The regressions of those of <paramref name="runs"/> that are flagged, by run id.</summary>
    public static async Task<IReadOnlyDictionary<string, RegressionDto>> ForRunsAsync(EvalLoopServices services, IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(runs);
        var rows = await services.Regressions.ListForRunsAsync(runs.Select(r => r.Id).ToList(), cancellationToken);
        return Group(rows).ToDictionary(r => r.RunId, StringComparer.Ordinal);
    }
}

/// <summary>One scorer's drop: pass rates over the (case, trial) results both runs share, McNemar's p-value, and how many they share.</summary>
public sealed record ScorerRegressionDto(string Scorer, double BaselinePassRate, double PassRate, double PValue, int Pairs);
