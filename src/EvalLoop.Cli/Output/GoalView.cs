using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Workspace;
using Spectre.Console;

namespace EvalLoop.Cli.Output;

/// <summary>Renders goals (measured by <see cref="GoalMeasurement"/>) for <c>goal show</c> and <c>goal list</c> as tables or JSON.</summary>
internal static class GoalView
{
    public static JsonObject Json(GoalReport report, string root) => new()
    {
        ["name"] = report.Goal.Name,
        ["description"] = report.Goal.Description,
        ["file"] = report.Goal.SourcePath is { } p ? Path.GetRelativePath(root, p).Replace('\\', '/') : null,
        ["status"] = report.Status,
        ["experiments"] = new JsonArray(report.Goal.Experiments.Select(e => (JsonNode?)e).ToArray()),
        ["requirements"] = new JsonArray(report.Requirements.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Requirement.Id,
            ["text"] = r.Requirement.Text,
            ["target"] = r.Requirement.Target,
            ["covered"] = r.Requirement.IsCovered,
            ["status"] = r.Status,
            ["coverage"] = new JsonArray(r.Coverage.Select(c => (JsonNode)new JsonObject
            {
                ["experiment"] = c.Coverage.Experiment,
                ["scorer"] = c.Coverage.Scorer,
                ["slice"] = c.Coverage.Slice is { } s ? new JsonObject(s.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) : null,
                ["status"] = c.Status,
                ["latest_run"] = c.LatestRunId,
                ["pass_rate"] = c.PassRate,
                ["cases"] = c.Cases,
                ["baseline_run"] = c.BaselineRunId,
                ["baseline_pass_rate"] = c.BaselinePassRate,
            }).ToArray()),
        }).ToArray()),
        ["problems"] = new JsonArray(report.Problems.Select(p => (JsonNode?)p).ToArray()),
    };

    public static void Write(IAnsiConsole console, GoalReport report)
    {
        console.MarkupLine($"[bold]{Markup.Escape(report.Goal.Name)}[/]: {Markup.Escape(report.Goal.Description)}");
        console.MarkupLine($"experiments: {Markup.Escape(report.Goal.Experiments.Count == 0 ? "none" : string.Join(", ", report.Goal.Experiments))}");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("requirement", "covered by", "latest", "target", "status");
        foreach (var r in report.Requirements)
        {
            var text = $"{r.Requirement.Id}\n[grey]{Markup.Escape(r.Requirement.Text)}[/]";
            var target = r.Requirement.Target is { } t ? t.ToString("0.###", CultureInfo.InvariantCulture) : "-";
            if (!r.Requirement.IsCovered)
            {
                table.AddRow(text, "[yellow]UNCOVERED: no scorer measures it[/]", "-", target, Status(r.Status));
                continue;
            }

            var covers = string.Join("\n", r.Coverage.Select(c => Markup.Escape($"{c.Coverage.Experiment} / {c.Coverage.Scorer} ({c.Coverage.SliceText})")));
            var latest = string.Join("\n", r.Coverage.Select(c => c.PassRate is { } rate
                ? Markup.Escape($"{rate.ToString("0.###", CultureInfo.InvariantCulture)} of {c.Cases} in {c.LatestRunId}") + (c.BaselineRunId is { } b ? Markup.Escape($" (baseline {c.BaselinePassRate?.ToString("0.###", CultureInfo.InvariantCulture)} in {b})") : string.Empty)
                : "[grey]not run yet[/]"));
            table.AddRow(text, covers, latest, target, Status(r.Status));
        }

        console.Write(table);
        foreach (var problem in report.Problems)
        {
            console.MarkupLine($"[yellow]problem:[/] {Markup.Escape(problem)}");
        }

        console.MarkupLine($"overall: {Status(report.Status)}");
    }

    public static string Status(string status) => status switch
    {
        GoalStatus.Met => "[green]met[/]",
        GoalStatus.Missed => "[red]missed[/]",
        GoalStatus.Regressed => "[red]regressed[/]",
        GoalStatus.Uncovered => "[yellow]uncovered[/]",
        GoalStatus.NoTarget => "[blue]no-target[/]",
        _ => $"[grey]{Markup.Escape(status)}[/]",
    };
}
