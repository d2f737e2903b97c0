using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Goals;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop goal list [--json]</c>: every goal in <c>experiments/goals/</c> with its overall status.</summary>
public sealed class GoalListCommand : EvalLoopCommand<GoalListCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("--json")]
        public bool Json { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var loader = new GoalLoader(services.Layout);
        var reports = new List<GoalReport>();
        foreach (var name in loader.List())
        {
            reports.Add(await services.GoalMeasurement.MeasureAsync(await loader.LoadAsync(name, cancellationToken), cancellationToken));
        }

        if (settings.Json)
        {
            var array = new JsonArray(reports.Select(r => (JsonNode)GoalView.Json(r, services.Layout.Root)).ToArray());
            Console.Out.WriteLine(array.ToJsonString(RunReportJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("goal", "status", "requirements", "uncovered", "experiments");
        foreach (var r in reports)
        {
            table.AddRow(
                Markup.Escape(r.Goal.Name),
                GoalView.Status(r.Status),
                r.Requirements.Count.ToString(CultureInfo.InvariantCulture),
                r.Requirements.Count(q => !q.Requirement.IsCovered).ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", r.Goal.Experiments)));
        }

        Out.Write(table);
        if (reports.Count == 0)
        {
            Out.MarkupLine("No goals yet: evalloop goal new NAME \"what good looks like\" --dataset D");
        }

        return ExitCodes.Success;
    }
}
