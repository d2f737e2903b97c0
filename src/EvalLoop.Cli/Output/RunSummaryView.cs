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
        if (summary.JudgeCalls > 0)
        {
            console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[grey]judge:[/] {I(summary.JudgeCalls)} calls, {I(summary.JudgeInputTokens + summary.JudgeOutputTokens)} tokens, cost {summary.JudgeCost:0.######}, {I(summary.JudgeCacheHits)} cache hits [grey](not in the task's figures above)[/]"));
        }

        var withTrials = evaluation.Scorers.Any(s => s.Figures.MeanTrialVariance is not null);
        var scorers = new Table().Border(TableBorder.Rounded).Title("[bold]Scorers[/]");
        scorers.AddColumns("scorer", "mean", "95% CI", "pass rate", "95% CI", "target", "");
        if (withTrials)
        {
            scorers.AddColumns("trial variance", "unstable cases");
        }

        foreach (var scorer in evaluation.Scorers)
        {
            var figures = scorer.Figures;
            var row = new List<string>
            {
                Markup.Escape(figures.Scorer),
                figures.Mean is { } mean ? mean.ToString("0.000", CultureInfo.InvariantCulture) : "-",
                Interval(figures.MeanInterval, "0.000"),
                figures.PassRate.ToString("P1", CultureInfo.InvariantCulture),
                Interval(figures.PassRateInterval, "P1"),
                scorer.Target is { } target ? target.ToString("P1", CultureInfo.InvariantCulture) : "-",
                scorer.Met switch { true => "[green]met[/]", false => "[red]missed[/]", null => string.Empty },
            };
            if (withTrials)
            {
                row.Add(figures.MeanTrialVariance is { } variance ? variance.ToString("0.0000", CultureInfo.InvariantCulture) : "-");
                row.Add(figures.UnstableCaseCount > 0 ? $"[yellow]{I(figures.UnstableCaseCount)}[/]" : "0");
            }

            scorers.AddRow(row.ToArray());
        }

        console.Write(scorers);
        if (summary.UnstableCases.Count > 0)
        {
            var unstable = new Table().Border(TableBorder.Rounded).Title("[bold]Least stable cases across trials[/]");
            unstable.AddColumns("case", "scorer", "variance", "scores by trial");
            foreach (var item in summary.UnstableCases.Take(MaxUnstableRows))
            {
                unstable.AddRow(
                    Markup.Escape(item.CaseId),
                    Markup.Escape(item.Scorer),
                    item.Variance.ToString("0.0000", CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", item.Scores.Select(x => x.ToString("0.###", CultureInfo.InvariantCulture)))));
            }

            console.Write(unstable);
        }
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

    private const int MaxUnstableRows = 5;

    private static string I(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Interval(ConfidenceInterval? interval, string format) =>
        interval is null ? "-" : $"{interval.Lower.ToString(format, CultureInfo.InvariantCulture)} – {interval.Upper.ToString(format, CultureInfo.InvariantCulture)}";
}
