using System.Globalization;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Presentation;
using EvalLoop.Suggestions.Verification;
using Spectre.Console;

namespace EvalLoop.Cli.Output;

/// <summary>Suggestions on the terminal: a list, and one suggestion in full (diff, evidence, provenance, audit history).</summary>
public static class SuggestionView
{
    /// <summary>How many diff lines <c>suggestions show</c> prints unless asked for all of them.</summary>
    public const int DiffLines = 60;

    public static void WriteList(IAnsiConsole console, IReadOnlyList<Suggestion> suggestions, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(suggestions);
        if (suggestions.Count == 0)
        {
            console.MarkupLine("[grey]No suggestions.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            table.Title($"[bold]{Markup.Escape(title)}[/]");
        }

        table.AddColumn("id");
        table.AddColumn("kind");
        table.AddColumn("status");
        table.AddColumn("measured effect");
        table.AddColumn("suggestion");
        foreach (var s in suggestions)
        {
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(s.Id)}[/]"),
                new Markup(Markup.Escape(s.Kind)),
                new Markup(StatusMarkup(s.Status)),
                new Markup(EffectMarkup(s)),
                new Markup(Markup.Escape(s.Title)));
        }

        console.Write(table);
    }

    private static string EffectMarkup(Suggestion suggestion)
    {
        var text = Markup.Escape(SuggestionText.Effect(suggestion));
        return SuggestionText.Verdict(suggestion) switch
        {
            Verdicts.Significant => $"[green]{text}[/]",
            Verdicts.Regression => $"[red]{text}[/]",
            _ => text,
        };
    }

    private static string StatusMarkup(string status) => status switch
    {
        SuggestionStatus.Approved => "[green]approved[/]",
        SuggestionStatus.Rejected => "[red]rejected[/]",
        SuggestionStatus.Pending => "[yellow]pending[/]",
        _ => Markup.Escape(status),
    };

    /// <summary>Everything about one suggestion: what, why, the diff, the evidence, the provenance and the decisions.</summary>
    public static void WriteDetails(IAnsiConsole console, Suggestion s, IReadOnlyList<SuggestionEvent> history, bool fullDiff)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(history);
        console.Write(new Rule($"[bold]{Markup.Escape(s.Id)}[/] {Markup.Escape(s.Kind)} suggestion for [bold]{Markup.Escape(s.ExperimentName)}[/]").LeftJustified());
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[grey]title[/]", Markup.Escape(s.Title));
        grid.AddRow("[grey]status[/]", StatusMarkup(s.Status) + (s.DecidedAt is null ? string.Empty : Markup.Escape($"{(s.DecidedBy is { } decider ? $" by {decider}" : string.Empty)} at {s.DecidedAt:u}{(s.DecisionReason is { } r ? $": {r}" : string.Empty)}")));
        if (s.ResultingVersion is not null)
        {
            grid.AddRow("[grey]created version[/]", Markup.Escape(s.ResultingVersion));
        }

        grid.AddRow("[grey]effect[/]", EffectMarkup(s));
        grid.AddRow("[grey]made from run[/]", Markup.Escape(s.RunId) + $" [grey]at {s.CreatedAt:u}[/]");
        if (s.ClusterIds.Count > 0)
        {
            grid.AddRow("[grey]clusters[/]", Markup.Escape(string.Join(", ", s.ClusterIds)));
        }

        console.Write(grid);
        console.WriteLine();
        console.MarkupLine(Markup.Escape(s.Summary));
        console.WriteLine();

        switch (s.Kind)
        {
            case SuggestionKinds.Prompt:
                WritePrompt(console, s, fullDiff);
                break;
            case SuggestionKinds.Dataset:
                WriteDataset(console, s);
                break;
            case SuggestionKinds.Scorer:
                WriteScorer(console, s);
                break;
            default:
                break;
        }

        if (history.Count > 0)
        {
            console.MarkupLine("[bold]Audit history[/]");
            foreach (var e in history)
            {
                console.MarkupLine(Markup.Escape($"  r{e.Revision} {e.RecordedAt:u} {e.FromStatus ?? "(created)"} -> {e.ToStatus}{(e.Snapshot.DecidedBy is { } by && e.ToStatus != e.FromStatus && e.FromStatus is not null ? $" by {by}" : string.Empty)}{(e.Snapshot.DecisionReason is { } reason && e.FromStatus is not null ? $": {reason}" : string.Empty)}"));
            }
        }
    }

    private static void WritePrompt(IAnsiConsole console, Suggestion s, bool fullDiff)
    {
        var change = SuggestionJson.Deserialize<PromptChange>(s.ChangeJson);
        var diff = SuggestionText.PromptDiff(change).TrimEnd('\n').Split('\n');
        console.MarkupLine($"[bold]Diff[/] [grey](strategy {Markup.Escape(change.Strategy)}; {diff.Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal))} lines added, {diff.Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal))} removed)[/]");
        foreach (var line in fullDiff ? diff : diff.Take(DiffLines))
        {
            var escaped = Markup.Escape(line);
            console.MarkupLine(line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? $"[bold]{escaped}[/]"
                : line.StartsWith('+') ? $"[green]{escaped}[/]"
                : line.StartsWith('-') ? $"[red]{escaped}[/]"
                : line.StartsWith("@@", StringComparison.Ordinal) ? $"[cyan]{escaped}[/]"
                : escaped);
        }

        if (!fullDiff && diff.Length > DiffLines)
        {
            console.MarkupLine($"[grey]... {diff.Length - DiffLines} more diff lines (suggestions show {Markup.Escape(s.Id)} --full-diff)[/]");
        }

        console.WriteLine();
        if (s.EvidenceJson is null)
        {
            return;
        }

        var e = SuggestionJson.Deserialize<PromptEvidence>(s.EvidenceJson);
        console.MarkupLine($"[bold]Evidence[/]: a real run of the proposed prompt on {Markup.Escape(e.VerificationSet)}, compared with the current prompt on the same cases");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("");
        table.AddColumn(new TableColumn("current").RightAligned());
        table.AddColumn(new TableColumn("proposed").RightAligned());
        table.AddColumn(new TableColumn("delta").RightAligned());
        foreach (var row in SuggestionText.EvidenceRows(e))
        {
            AddRow(table, row);
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(SuggestionText.McNemarLine(e)));
        console.MarkupLine(Markup.Escape($"Runs: baseline {e.BaselineRunId}, proposed {e.CandidateRunId}, analysed {e.AnalysisRunId} (requested for {e.RequestedRunId}); compare: evalloop report --compare {e.BaselineRunId} {e.CandidateRunId}"));
        if (e.FixedCaseIds.Count > 0)
        {
            console.MarkupLine("[green]fixed[/]: " + Markup.Escape(Ids(e.FixedCaseIds)));
        }

        if (e.BrokenCaseIds.Count > 0)
        {
            console.MarkupLine("[red]broken[/]: " + Markup.Escape(Ids(e.BrokenCaseIds)));
        }

        if (e.Clusters.Count > 0)
        {
            var clusters = new Table().Border(TableBorder.Simple).Title("per failure pattern (its slice of the verification cases)");
            clusters.AddColumn("pattern");
            clusters.AddColumn(new TableColumn("cases").RightAligned());
            clusters.AddColumn(new TableColumn("current").RightAligned());
            clusters.AddColumn(new TableColumn("proposed").RightAligned());
            clusters.AddColumn(new TableColumn("delta").RightAligned());
            foreach (var c in e.Clusters)
            {
                var delta = SuggestionText.Points(c.Delta);
                clusters.AddRow(Markup.Escape(c.Name), c.Cases.ToString(CultureInfo.InvariantCulture), Markup.Escape(SuggestionText.Percent(c.Baseline)), Markup.Escape(SuggestionText.Percent(c.Candidate)), c.Regressed ? $"[red]{Markup.Escape(delta)} REGRESSED[/]" : Markup.Escape(delta));
            }

            console.Write(clusters);
        }

        foreach (var regression in e.Regressions)
        {
            console.MarkupLine("[red]regression:[/] " + Markup.Escape(regression));
        }

        if (e.Alternatives.Count > 0)
        {
            console.MarkupLine("[bold]Other candidates verified[/] [grey](not kept)[/]");
            foreach (var a in e.Alternatives)
            {
                console.MarkupLine(Markup.Escape("  " + SuggestionText.Alternative(a)));
            }
        }

        WriteProvenance(console, change.Provenance, e.ExcludedByFirewall);
        foreach (var note in e.Notes)
        {
            console.MarkupLine("[grey]note:[/] " + Markup.Escape(note));
        }

        console.WriteLine();
    }

    private static void WriteDataset(IAnsiConsole console, Suggestion s)
    {
        var change = SuggestionJson.Deserialize<DatasetChange>(s.ChangeJson);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{change.Operations.Count} row operation(s) on {Markup.Escape(change.DatasetPath)}[/]");
        table.AddColumn("op");
        table.AddColumn("case");
        table.AddColumn("input");
        table.AddColumn("change");
        table.AddColumn("why");
        foreach (var op in change.Operations)
        {
            var what = SuggestionText.Operation(op);
            table.AddRow(Markup.Escape(op.Op), Markup.Escape(op.CaseId), Markup.Escape(SuggestionText.Shorten(op.Input ?? string.Empty, 70)), Markup.Escape(what), Markup.Escape(op.Reason));
        }

        console.Write(table);
        if (s.EvidenceJson is { } json)
        {
            var e = SuggestionJson.Deserialize<DatasetEvidence>(json);
            if (e.Baseline.Count > 0)
            {
                var figures = new Table().Border(TableBorder.Simple).Title("baseline with and without the rows (current prompt)");
                figures.AddColumn("");
                figures.AddColumn(new TableColumn("cases").RightAligned());
                figures.AddColumn(new TableColumn("pass rate").RightAligned());
                figures.AddColumn("run");
                foreach (var f in e.Baseline)
                {
                    figures.AddRow(Markup.Escape(f.Label), f.Cases.ToString(CultureInfo.InvariantCulture), Markup.Escape(SuggestionText.Percent(f.PassRate)), Markup.Escape(f.RunId));
                }

                console.Write(figures);
            }

            foreach (var note in e.Notes)
            {
                console.MarkupLine("[grey]note:[/] " + Markup.Escape(note));
            }
        }

        WriteProvenance(console, change.Provenance, []);
        console.WriteLine();
    }

    private static void WriteScorer(IAnsiConsole console, Suggestion s)
    {
        var change = SuggestionJson.Deserialize<ScorerChange>(s.ChangeJson);
        console.MarkupLine(Markup.Escape(SuggestionText.ScorerHeading(change) + ":"));
        if (change.ThresholdAfter != change.ThresholdBefore)
        {
            console.MarkupLine(Markup.Escape($"  threshold: {SuggestionText.Threshold(change.ThresholdBefore)} -> {SuggestionText.Threshold(change.ThresholdAfter)}"));
        }

        console.MarkupLine("[red]" + Markup.Escape($"- options: {SuggestionText.Options(change.OptionsBefore)}") + "[/]");
        console.MarkupLine("[green]" + Markup.Escape($"+ options: {SuggestionText.Options(change.OptionsAfter)}") + "[/]");
        if (s.EvidenceJson is { } json)
        {
            var e = SuggestionJson.Deserialize<ScorerEvidence>(json);
            foreach (var run in e.Runs)
            {
                console.MarkupLine(Markup.Escape(SuggestionText.RescoredRunLine(run)));
                if (run.Flips.Count > 0)
                {
                    var table = new Table().Border(TableBorder.Simple);
                    table.AddColumn("case");
                    table.AddColumn("output");
                    table.AddColumn("expected");
                    table.AddColumn("before");
                    table.AddColumn("after");
                    foreach (var f in run.Flips)
                    {
                        table.AddRow(Markup.Escape(SuggestionText.FlipCase(f)), Markup.Escape(SuggestionText.Shorten(f.Output ?? string.Empty, 40)), Markup.Escape(SuggestionText.Shorten(f.Expected ?? string.Empty, 40)), f.PassedBefore ? "pass" : "fail", f.PassedAfter ? "[green]pass[/]" : "[red]fail[/]");
                    }

                    console.Write(table);
                }
            }

            foreach (var note in e.Notes)
            {
                console.MarkupLine("[grey]note:[/] " + Markup.Escape(note));
            }
        }

        console.WriteLine();
    }

    private static void WriteProvenance(IAnsiConsole console, Provenance provenance, IReadOnlyList<string> excluded)
    {
        console.MarkupLine(Markup.Escape(SuggestionText.ProvenanceLine(provenance, excluded)));
    }

    /// <summary>A row of plain text cells (a table's string cells are markup; figures like "[0.1, 0.2]" are not).</summary>
    private static void AddRow(Table table, params string[] cells) => table.AddRow(cells.Select(c => new Text(c)).ToArray());

    private static string Ids(IReadOnlyList<string> ids) => ids.Count <= 12 ? string.Join(", ", ids) : string.Join(", ", ids.Take(12)) + $", ... ({ids.Count} in all)";
}
