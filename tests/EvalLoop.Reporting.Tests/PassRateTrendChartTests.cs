using System.Globalization;
using System.Xml.Linq;
using EvalLoop.Reporting.Charts;

namespace EvalLoop.Reporting.Tests;

public sealed class PassRateTrendChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void DrawsEachSeriesAndItsTargetAsSanitizedSvgWithTheGivenIdPrefix()
    {
        var start = DateTimeOffset.Parse("2026-11-29T08:30:00Z", CultureInfo.InvariantCulture);
        var series = new[] { "exact-match", "<script>alert(1)</script>" };
        var runs = Enumerable.Range(0, 3)
            .Select(i => new PassRateTrendRun($"r{i}", start.AddDays(i), new Dictionary<string, double> { [series[0]] = 0.5 + (i * 0.1), [series[1]] = 0.9 }))
            .ToList();

        var chart = PassRateTrendChart.Render("routes <b>right</b>", runs, series, series.ToDictionary(s => s, _ => 0.85), "goal-chart7-");

        chart.HasText.Should().BeTrue(PassRateTrendSvg.MissingFontsMessage);
        chart.Svg.Should().StartWith("<svg").And.NotContain("<script").And.NotContain("<b>");
        var root = XElement.Parse(chart.Svg);
        root.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().Should().NotBeEmpty().And.OnlyContain(id => id.StartsWith("goal-chart7-", StringComparison.Ordinal));
        var texts = root.Descendants(Svg + "text").Select(t => t.Value).ToList();
        texts.Should().Contain(["routes <b>right</b>", "exact-match pass rate", "exact-match target", "11-29 08:30", "12-01 08:30"]);
        texts.Should().Contain(t => t.StartsWith("<script>alert(1)</script>", StringComparison.Ordinal), "a label from data is text");
    }
}
