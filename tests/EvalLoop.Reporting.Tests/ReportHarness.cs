using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using EvalLoop.TestUtilities.Builders;

namespace EvalLoop.Reporting.Tests;

/// <summary>Builds reports from a <see cref="RunScenario"/> in memory and parses them like a browser.</summary>
internal static class ReportHarness
{
    public static HtmlReportGenerator Generator(RunScenario scenario, bool withClusters = true, bool withSuggestions = true, ReportOptions? options = null) =>
        new(new ReportSources(scenario.Runs, scenario.Runs, scenario.Datasets, withClusters ? scenario.Clusters : null, withSuggestions ? scenario.Suggestions : null), options);

    public static async Task<(string Html, ReportResult Result)> RunReportAsync(HtmlReportGenerator generator, string runId)
    {
        using var stream = new MemoryStream();
        var result = await generator.WriteRunReportAsync(runId, stream);
        return (System.Text.Encoding.UTF8.GetString(stream.ToArray()), result);
    }

    public static async Task<(string Html, ReportResult Result)> ComparisonReportAsync(HtmlReportGenerator generator, string baseline, string candidate)
    {
        using var stream = new MemoryStream();
        var result = await generator.WriteComparisonReportAsync(baseline, candidate, stream);
        return (System.Text.Encoding.UTF8.GetString(stream.ToArray()), result);
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);
}
