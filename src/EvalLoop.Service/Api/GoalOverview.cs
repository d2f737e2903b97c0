using EvalLoop.Core.Goals;
using EvalLoop.Core.Workspace;
using EvalLoop.Service.Composition;

namespace EvalLoop.Service.Api;

/// <summary>
/// Goals as the API and the web UI show them: each goal file in <c>experiments/goals/</c> measured (with its reference
/// checks) by <see cref="GoalMeasurement"/>, shaped as <see cref="GoalDto"/>.
/// </summary>
public static class GoalOverview
{
    /// <summary>How many completed runs a trend covers.</summary>
    public const int TrendRuns = 10;

    /// <summary>Every goal, by name; a goal file that cannot be read is listed with status <c>invalid</c> and the reason.</summary>
    public static async Task<IReadOnlyList<GoalDto>> ListAsync(EvalLoopServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var result = new List<GoalDto>();
        foreach (var name in services.Goals.List())
        {
            GoalDefinition goal;
            try
            {
                goal = await services.Goals.LoadAsync(name, cancellationToken);
            }
            catch (WorkspaceFileException ex)
            {
                result.Add(GoalDto.Invalid(name, ex.Message));
                continue;
            }

            result.Add(GoalDto.From(await services.GoalMeasurement.MeasureAsync(goal, cancellationToken), services.Layout.Root, trends: null));
        }

        return result;
    }

    /// <summary>
    /// Goal <paramref name="name"/> with, for each covering scorer, its pass rate over the experiment's last
    /// <see cref="TrendRuns"/> completed runs; null when there is no such goal.
    /// </summary>
    /// <exception cref="WorkspaceFileException">The goal file is invalid.</exception>
    public static async Task<GoalDto?> GetAsync(EvalLoopServices services, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (await services.Goals.FindAsync(name, cancellationToken) is not { } goal)
        {
            return null;
        }

        var measurement = services.GoalMeasurement;
        var report = await measurement.MeasureAsync(goal, cancellationToken);
        var tracker = measurement.Tracker;
        var trends = new Dictionary<GoalCoverage, IReadOnlyList<GoalTrendPoint>>();
        foreach (var cover in goal.Requirements.SelectMany(r => r.CoveredBy))
        {
            trends[cover] = await tracker.TrendAsync(cover, TrendRuns, cancellationToken);
        }

        return GoalDto.From(report, services.Layout.Root, trends);
    }

}

/// <summary>A goal and where it stands (status: met, missed, regressed, not-run, uncovered, no-target; or invalid when its file cannot be read).</summary>
public sealed record GoalDto(string Name, string? Description, string? File, string Status, IReadOnlyList<string> Experiments, IReadOnlyList<RequirementDto> Requirements, IReadOnlyList<string> Problems)
{
    public static GoalDto Invalid(string name, string problem) => new(name, null, null, "invalid", [], [], [problem]);

    public static GoalDto From(GoalReport report, string root, IReadOnlyDictionary<GoalCoverage, IReadOnlyList<GoalTrendPoint>>? trends)
    {
        ArgumentNullException.ThrowIfNull(report);
        var goal = report.Goal;
        return new GoalDto(
            goal.Name,
            goal.Description,
            goal.SourcePath is { } path ? Path.GetRelativePath(root, path).Replace('\\', '/') : null,
            report.Status,
            goal.Experiments,
            report.Requirements.Select(r => new RequirementDto(
                r.Requirement.Id,
                r.Requirement.Text,
                r.Requirement.Target,
                r.Requirement.IsCovered,
                r.Status,
                r.Coverage.Select(c => new CoverageDto(
                    c.Coverage.Experiment,
                    c.Coverage.Scorer,
                    c.Coverage.Slice,
                    c.Status,
                    c.LatestRunId,
                    c.PassRate,
                    c.Cases,
                    c.BaselineRunId,
                    c.BaselinePassRate,
                    c.Problem,
                    trends?.GetValueOrDefault(c.Coverage))).ToList())).ToList(),
            report.Problems);
    }
}

/// <summary>A requirement with its status and the measurement of each scorer that covers it.</summary>
public sealed record RequirementDto(string Id, string Text, double? Target, bool Covered, string Status, IReadOnlyList<CoverageDto> Coverage);

/// <summary>
/// One covering scorer (on an optional metadata slice): its pass rate in the experiment's latest completed run, the
/// baseline run when it regressed, and (for a single goal) its pass rate over recent runs, oldest first.
/// </summary>
public sealed record CoverageDto(
    string Experiment,
    string Scorer,
    IReadOnlyDictionary<string, string>? Slice,
    string Status,
    string? LatestRun,
    double? PassRate,
    int Cases,
    string? BaselineRun,
    double? BaselinePassRate,
    string? Problem,
    IReadOnlyList<GoalTrendPoint>? Trend);
