using System.ComponentModel;
using System.Globalization;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop report RUN_ID [--out FILE.html]</c>: a run's self-contained HTML report; with <c>--compare BASELINE</c>,
/// the diff report of RUN_ID against BASELINE.
/// </summary>
public sealed class ReportCommand : EvalLoopCommand<ReportCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<RUN_ID>")]
        [Description("The run to report on; with --compare, the run compared with the baseline (B).")]
        public string RunId { get; init; } = string.Empty;

        [CommandOption("--compare <BASELINE_RUN_ID>")]
        [Description("Write the diff report of RUN_ID against this baseline run (A): fixed and broken cases, score deltas with paired tests, changed outputs side by side, the prompt diff. Usage: report --compare RUN_A RUN_B.")]
        public string? Compare { get; init; }

        [CommandOption("-o|--out <FILE>")]
        [Description("Where to write the HTML. Default: .evalloop/reports/RUN_ID.html (or compare-A-vs-B.html).")]
        public string? OutputPath { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(RunId) ? ValidationResult.Error("name a RUN_ID (see: evalloop runs list)")
            : OutputPath is { } path && string.IsNullOrWhiteSpace(path) ? ValidationResult.Error("--out needs a file name")
            : ValidationResult.Success();
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var reports = services.Layout.ReportsDirectory;
        var path = Path.GetFullPath(settings.OutputPath ?? (settings.Compare is { } baseline
            ? HtmlReportGeneratorExtensions.ComparisonReportPath(reports, baseline, settings.RunId)
            : HtmlReportGeneratorExtensions.RunReportPath(reports, settings.RunId)));

        var result = settings.Compare is { } a
            ? await services.Reports.WriteComparisonReportFileAsync(a, settings.RunId, path, cancellationToken)
            : await services.Reports.WriteRunReportFileAsync(settings.RunId, path, cancellationToken);

        foreach (var warning in result.Warnings)
        {
            ErrorOutput.Warning("report", warning);
        }

        var what = settings.Compare is null
            ? string.Create(CultureInfo.InvariantCulture, $"run report of {settings.RunId} ({result.Cases:N0} cases)")
            : string.Create(CultureInfo.InvariantCulture, $"diff report of {settings.RunId} against {settings.Compare} ({result.Cases:N0} paired results)");
        Out.MarkupLine($"[grey]{Markup.Escape(what)}[/]");
        Out.MarkupLine($"report: {Markup.Escape(path)}");
        return ExitCodes.Success;
    }
}
