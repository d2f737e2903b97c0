using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop runs list</c>: recent runs, newest first.</summary>
public sealed class RunsListCommand : EvalLoopCommand<RunsListCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandOption("-e|--experiment <NAME>")]
        [Description("Only runs of this experiment.")]
        public string? Experiment { get; init; }

        [CommandOption("-n|--limit <N>")]
        [DefaultValue(20)]
        public int Limit { get; init; } = 20;

        [CommandOption("--json")]
        public bool Json { get; init; }

        [CommandOption("--all")]
        [Description("Also list the runs the suggester makes to analyse and verify (modes suggest-analysis, verify-baseline, verify-candidate, suggest-rows).")]
        public bool All { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var runs = await services.Runs.ListRunsAsync(settings.Experiment, settings.All ? settings.Limit : Math.Max(settings.Limit * 10, 200), cancellationToken);
        if (!settings.All)
        {
            // The suggester's own runs (on halves of dev) are evidence for suggestions, not the user's runs.
            runs = runs.Where(r => !EvalLoop.Suggestions.Suggester.IsSuggesterRun(r)).Take(settings.Limit).ToList();
        }

        var rows = new List<(Core.Runs.RunRecord Run, Core.Runs.RunSummary Summary)>();
        foreach (var run in runs)
        {
            rows.Add((run, await services.Runs.SummarizeAsync(run.Id, cancellationToken)));
        }

        if (settings.Json)
        {
            var array = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["run_id"] = r.Run.Id,
                ["experiment"] = r.Run.ExperimentName,
                ["status"] = r.Run.Status,
                ["started_at"] = r.Run.StartedAt,
                ["cases"] = r.Summary.Results,
                ["planned"] = r.Run.PlannedResults,
                ["passed"] = r.Summary.Passed,
                ["errored"] = r.Summary.Errored,
                ["model"] = $"{r.Run.Provider}/{r.Run.Model}",
            }).ToArray());
            Console.Out.WriteLine(array.ToJsonString(RunReportJson.Options));
            return ExitCodes.Success;
        }

        if (rows.Count == 0)
        {
            Out.MarkupLine("[grey]no runs yet: try[/] evalloop run experiments/<name>.yaml");
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("run", "experiment", "status", "started (UTC)", "cases", "pass rate", "model");
        foreach (var (run, summary) in rows)
        {
            table.AddRow(
                Markup.Escape(run.Id),
                Markup.Escape(run.ExperimentName),
                RunSummaryView.StatusMarkup(run.Status),
                run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                $"{summary.Results}/{run.PlannedResults}",
                summary.Results == 0 ? "-" : ((double)summary.Passed / summary.Results).ToString("P1", CultureInfo.InvariantCulture),
                Markup.Escape($"{run.Provider}/{run.Model}"));
        }

        Out.Write(table);
        return ExitCodes.Success;
    }
}
