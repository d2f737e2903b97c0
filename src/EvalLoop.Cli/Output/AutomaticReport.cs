using EvalLoop.Cli.Hosting;
using EvalLoop.Core.Running;
using EvalLoop.Reporting;

namespace EvalLoop.Cli.Output;

/// <summary>The HTML report written at the end of every <c>run</c> (and the quickstart) to <c>.evalloop/reports/</c>.</summary>
internal static class AutomaticReport
{
    /// <summary>
    /// Writes the run's report and returns its path; null when the run was interrupted (its report comes with the
    /// resumed run) or the report could not be written, which is a warning on stderr, never a failed run.
    /// </summary>
    public static async Task<string?> WriteAsync(EvalLoopServices services, RunOutcome outcome, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || outcome.Interrupted)
        {
            return null;
        }

        var path = HtmlReportGeneratorExtensions.RunReportPath(services.Layout.ReportsDirectory, outcome.Run.Id);
        try
        {
            var result = await services.Reports.WriteRunReportFileAsync(outcome.Run.Id, path, cancellationToken);
            foreach (var warning in result.Warnings)
            {
                ErrorOutput.Warning("report", warning);
            }

            return path;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ErrorOutput.Warning("report", $"could not write the HTML report: {ex.Message}");
            return null;
        }
    }
}
