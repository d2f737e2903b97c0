using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary><c>evalloop runs show RUN_ID</c>: a run's summary and, on request, its cases.</summary>
public sealed class RunsShowCommand : EvalLoopCommand<RunsShowCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<RUN_ID>")]
        public string RunId { get; init; } = string.Empty;

        [CommandOption("--json")]
        public bool Json { get; init; }

        [CommandOption("--cases <N>")]
        [Description("Also list up to N cases (with --failed: failed or errored ones only).")]
        [DefaultValue(0)]
        public int Cases { get; init; }

        [CommandOption("--failed")]
        [Description("List only failed or errored cases (implies --cases 20 unless given).")]
        public bool Failed { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var run = await services.Runs.GetRunAsync(settings.RunId, cancellationToken) ?? throw new RunNotFoundException(settings.RunId);
        var summary = await services.Runs.SummarizeWithStatisticsAsync(run.Id, cancellationToken);
        var experiment = ExperimentSnapshot.Of(run);
        var evaluation = ExperimentEvaluation.Evaluate(experiment, summary);
        var limit = settings.Cases > 0 ? settings.Cases : settings.Failed ? 20 : 0;
        var cases = new List<CaseResult>();
        if (limit > 0)
        {
            await foreach (var result in services.Runs.ReadAsync(run.Id, cancellationToken))
            {
                if (settings.Failed && result.Passed)
                {
                    continue;
                }

                cases.Add(result);
                if (cases.Count >= limit)
                {
                    break;
                }
            }
        }

        if (settings.Json)
        {
            var json = RunReportJson.Build(run, summary, evaluation, null);
            if (limit > 0)
            {
                json["results"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
                {
                    ["case_id"] = c.CaseId,
                    ["trial"] = c.Trial,
                    ["output"] = c.Output,
                    ["passed"] = c.Passed,
                    ["error_kind"] = c.ErrorKind,
                    ["error"] = c.ErrorMessage,
                    ["scores"] = new JsonObject(c.Scores.Select(s => KeyValuePair.Create(s.Scorer, (JsonNode?)new JsonObject
                    {
                        ["score"] = s.Score,
                        ["passed"] = s.Passed,
                        ["rationale"] = s.Rationale,
                        ["error"] = s.Error,
                        ["judge"] = s.Judge is not { } judge ? null : new JsonObject
                        {
                            ["input_tokens"] = judge.InputTokens,
                            ["output_tokens"] = judge.OutputTokens,
                            ["cost"] = judge.Cost,
                            ["cache_hit"] = judge.CacheHit,
                        },
                    }))),
                }).ToArray());
            }

            Console.Out.WriteLine(json.ToJsonString(RunReportJson.Options));
            return ExitCodes.Success;
        }

        RunSummaryView.Write(Out, run, summary, evaluation);
        if (cases.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(settings.Failed ? "[bold]Failed cases[/]" : "[bold]Cases[/]");
            table.AddColumns("case", "output", "scores", "error");
            foreach (var c in cases)
            {
                table.AddRow(
                    Markup.Escape(c.CaseId + (c.Trial > 1 ? $" #{c.Trial}" : string.Empty)),
                    Markup.Escape(Shorten(c.Output ?? string.Empty)),
                    Markup.Escape(string.Join(", ", c.Scores.Select(s => $"{s.Scorer}={(s.Score is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "err")}"))),
                    Markup.Escape(c.ErrorKind is null ? string.Empty : $"{c.ErrorKind}: {Shorten(c.ErrorMessage ?? string.Empty)}"));
            }

            Out.Write(table);
        }

        if (run.Status is RunStatus.Interrupted or RunStatus.Running)
        {
            Out.MarkupLine($"[yellow]{summary.Results}/{run.PlannedResults} results stored.[/] Resume with: evalloop run --resume {Markup.Escape(run.Id)}");
        }

        return ExitCodes.Success;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text.ReplaceLineEndings(" ") : text[..77].ReplaceLineEndings(" ") + "...";
}
