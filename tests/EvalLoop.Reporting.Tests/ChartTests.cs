using System.Xml.Linq;
using EvalLoop.Reporting.Charts;

namespace EvalLoop.Reporting.Tests;

/// <summary>
/// ScottPlot draws no text, and says nothing, on a machine without fonts; test.sh installs fonts-dejavu-core, and
/// these tests fail loudly if the chart text is missing.
/// </summary>
public sealed class ChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void TheMachineHasAFontForChartText()
    {
        ChartFonts.Available.Should().BeTrue(ChartFonts.MissingFontsMessage);
        ChartFonts.Family.Should().Be("DejaVu Sans");
    }

    [Fact]
    public void AScoreDistributionHasItsTitleAndAxisLabelsAsSvgText()
    {
        var chart = new ScottPlotChartRenderer(new ReportOptions()).ScoreDistribution("exact-match", [0, 0.5, 1, 1, 1], threshold: 1);

        chart.HasText.Should().BeTrue();
        var texts = Texts(chart);
        texts.Should().Contain(["exact-match", "score", "cases", "threshold 1"]);
        texts.Should().Contain("0.5", "the axis has tick labels too");
    }

    [Fact]
    public void LabelsFromDataAreDrawnAsEscapedTextCutToOneLine()
    {
        var slices = new SliceChartData("topic<b>", [new SliceRate("<script>alert(1)</script>\nline two", 4, 1), new SliceRate("ok", 2, 2)], 2);

        var chart = new ScottPlotChartRenderer(new ReportOptions()).PassRateBySlice(slices);

        chart.Svg.Markup.Should().NotContain("<script").And.NotContain("<b>");
        Texts(chart).Should().Contain("<script>alert(1)</script> line t… (4)").And.Contain("Pass rate by topic<b>");
    }

    [Fact]
    public void TheTrendLatencyAndClusterChartsLabelTheirAxes()
    {
        var renderer = new ScottPlotChartRenderer(new ReportOptions());
        var start = DateTimeOffset.Parse("2026-11-29T08:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var points = Enumerable.Range(0, 3).Select(i => new TrendPoint($"r{i}", start.AddDays(i), i == 2, new Dictionary<string, TrendFigures> { ["m"] = new(0.5 + (i * 0.1), 0.4 + (i * 0.1)) })).ToList();

        var trend = renderer.Trend(points, ["m"], new Dictionary<string, double> { ["m"] = 0.8 });
        var latency = renderer.Latency([5, 10, 12, 800]);
        var clusters = renderer.ClustersBySize([new ClusterSize("card_arrival → card_delivery_estimate", 12), new ClusterSize("empty output", 3)], 20);

        Texts(trend).Should().Contain(["percent", "run start (UTC)", "11-29 08:30", "12-01 08:30", "m pass rate", "m mean score", "m target"]);
        Texts(latency).Should().Contain(["latency (ms)", "results"]);
        Texts(clusters).Should().Contain(["failing results", "card_arrival → card_delivery_estimate", "empty output"]);
        new[] { trend, latency, clusters }.Select(c => c.Svg.Markup).Should().OnlyContain(m => m.StartsWith("<svg", StringComparison.Ordinal));
    }

    private static List<string> Texts(ChartSvg chart) =>
        XElement.Parse(chart.Svg.Markup).Descendants(Svg + "text").Select(t => t.Value).ToList();
}
