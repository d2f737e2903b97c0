using System.Globalization;
using EvalLoop.Core.Analysis;
using Spectre.Console;

namespace EvalLoop.Cli.Output;

/// <summary>The failure clusters as a table: one row per pattern, largest first, with its description and example cases.</summary>
public static class AnalysisView
{
    /// <summary>Writes the analysis; with <paramref name="top"/>, only the largest clusters and a line saying how many more there are.</summary>
    public static void Write(IAnsiConsole console, ClusterAnalysis analysis, int? top = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.FailureCount == 0)
        {
            console.MarkupLine("[green]No failures to analyse:[/] every case passed.");
            return;
        }

        var shown = top is { } n ? analysis.Clusters.Take(n).ToList() : analysis.Clusters.ToList();
        var table = new Table().Border(TableBorder.Rounded)
            .Title(string.Create(CultureInfo.InvariantCulture, $"[bold]{analysis.FailureCount} failures in {analysis.Clusters.Count} patterns[/]"));
        table.AddColumn("#");
        table.AddColumn("pattern");
        table.AddColumn("kind");
        table.AddColumn(new TableColumn("cases").RightAligned());
        table.AddColumn(new TableColumn("share").RightAligned());
        table.AddColumn("examples");
        foreach (var cluster in shown)
        {
            table.AddRow(
                new Markup(cluster.Index.ToString(CultureInfo.InvariantCulture)),
                new Markup($"[bold]{Markup.Escape(cluster.Name)}[/]\n[grey]{Markup.Escape(cluster.Description)}[/]"),
                new Markup(Markup.Escape(cluster.Kind)),
                new Markup(cluster.Size.ToString("N0", CultureInfo.InvariantCulture)),
                new Markup(Percent(cluster.Share)),
                new Markup(Markup.Escape(string.Join("\n", cluster.Representatives.Take(3).Select(r => r.Trial > 1 ? $"{r.CaseId} #{r.Trial}" : r.CaseId)))));
        }

        console.Write(table);
        if (shown.Count < analysis.Clusters.Count)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]... and {analysis.Clusters.Count - shown.Count} smaller patterns ({analysis.Clusters.Skip(shown.Count).Sum(c => c.Size)} cases).[/]"));
        }
    }

    private static string Percent(double share) =>
        share is > 0 and < 0.005 ? "<1%" : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(share * 100):0}%");
}
