using System.Globalization;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using Spectre.Console;

namespace EvalLoop.Cli.Output;

/// <summary>The human-readable summary table printed at the end of a run and by <c>runs show</c>.</summary>
public static class RunSummaryView
{
    public static void Write(IAnsiConsole console, RunRecord run, RunSummary summary, ExperimentEvaluation evaluation)
    {
        var header = new Grid().AddColumn().AddColumn();
        header.AddRow("[grey]run[/]", Markup.Escape(run.Id));
        header.AddRow("[grey]experiment[/]", Markup.Escape(run.ExperimentName));
        header.AddRow("[grey]status[/]", StatusMarkup(run.Status));
        header.AddRow("[grey]model[/]", Markup.Escape($"{run.Provider}/{run.Model}"));
        header.AddRow("[grey]dataset[/]", Markup.Escape($"{run.DatasetName}@{run.DatasetVersion[..12]}{(run.Split is null ? string.Empty : " split=" + run.Split)}"));
        header.AddRow("[grey]prompt[/]", Markup.Escape(run.PromptVersion));
        console.Write(header);
        console.WriteLine();

        var totals = new Table().Border(TableBorder.Rounded).Title("[bold]Results[/]");
        totals.AddColumns("cases", "passed", "failed", "errored", "tokens", "cost", "cache hits", "latency p50/p95", "wall");
        totals.AddRow(
            I(summary.Results),
            $"[green]{I(summary.Passed)}[/]",
            summary.Failed > 0 ? $"[red]{I(summary.Failed)}[/]" : "0",
            summary.Errored > 0 ? $"[yellow]{I(summary.Errored)}[/]" : "0",
            I(summary.InputTokens + summary.OutputTokens),
            summary.Cost.ToString("0.######", CultureInfo.InvariantCulture),
            I(summary.CacheHits),
            $"{summary.LatencyP50Ms.ToString("0.#", CultureInfo.InvariantCulture)} / {summary.LatencyP95Ms.ToString("0.#", CultureInfo.InvariantCulture)} ms",
            $"{run.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        console.Write(totals);

        var scorers = new Table().Border(TableBorder.Rounded).Title("[bold]Scorers[/]");
        scorers.AddColumns("scorer", "mean", "pass rate", "target", "");
        foreach (var scorer in evaluation.Scorers)
        {
            scorers.AddRow(
                Markup.Escape(scorer.Figures.Scorer),
                scorer.Figures.Mean is { } mean ? mean.ToString("0.000", CultureInfo.InvariantCulture) : "-",
                scorer.Figures.PassRate.ToString("P1", CultureInfo.InvariantCulture),
                scorer.Target is { } target ? target.ToString("P1", CultureInfo.InvariantCulture) : "-",
                scorer.Met switch { true => "[green]met[/]", false => "[red]missed[/]", null => string.Empty });
        }

        console.Write(scorers);
        if (summary.ErrorKinds.Count > 0)
        {
            console.MarkupLine("[yellow]errors:[/] " + Markup.Escape(string.Join(", ", summary.ErrorKinds.Select(kv => $"{kv.Key} x{kv.Value}"))));
        }

        if (run.Error is { } error)
        {
            console.MarkupLine("[red]run error:[/] " + Markup.Escape(error));
        }
    }

    public static string StatusMarkup(string status) => status switch
    {
        RunStatus.Completed => "[green]completed[/]",
        RunStatus.Interrupted => "[yellow]interrupted[/]",
        RunStatus.Failed => "[red]failed[/]",
        _ => Markup.Escape(status),
    };

    private static string I(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
