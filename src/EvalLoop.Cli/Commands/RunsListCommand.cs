using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Runs;
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
        [Description("Also list internal runs: the ones the suggester makes to analyse and verify (modes suggest-analysis, verify-baseline, verify-candidate, suggest-rows) and the empty goal:NAME runs goal drafts belong to (mode goal-draft).")]
        public bool All { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        // The suggester's own runs (on halves of dev) and goal drafts' empty runs are evidence and bookkeeping, not the user's runs.
        var runs = await services.Runs.ListRunsForUserAsync(settings.Experiment, settings.All, settings.Limit, cancellationToken);

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
                ["mode"] = r.Run.Mode,
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
        table.AddColumns("run", "experiment", "mode", "status", "started (UTC)", "cases", "pass rate", "model");
        foreach (var (run, summary) in rows)
        {
            table.AddRow(
                Markup.Escape(run.Id),
                Markup.Escape(run.ExperimentName),
                Markup.Escape(run.Mode),
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
