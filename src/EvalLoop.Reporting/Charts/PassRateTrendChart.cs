namespace EvalLoop.Reporting.Charts;

/// <summary>
/// Draws a pass-rate trend (one line per series over a list of runs, oldest first, each series' target as a horizontal
/// line) for pages outside the HTML reports, such as the service's goal page. It is the report's trend chart, drawn by
/// the same renderer and passed through the same SVG allow-list, so the markup is safe to place inline in a page
/// whose Content-Security-Policy allows no script.
/// </summary>
public static class PassRateTrendChart
{
    /// <summary>Renders the chart as sanitized inline SVG.</summary>
    /// <param name="idPrefix">Prefixes every id in the SVG; give each chart on a page its own (letters, digits, '-').</param>
    /// <exception cref="System.Xml.XmlException">The drawing library produced SVG that is not well-formed.</exception>
    public static PassRateTrendSvg Render(
        string title,
        IReadOnlyList<PassRateTrendRun> runs,
        IReadOnlyList<string> series,
        IReadOnlyDictionary<string, double> targets,
        string idPrefix,
        ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentException.ThrowIfNullOrWhiteSpace(idPrefix);
        options ??= new ReportOptions();
        ReportOptionsValidator.ThrowIfInvalid(options);
        var points = runs
            .Select(r => new TrendPoint(
                r.RunId,
                r.StartedAt,
                false,
                r.PassRates.ToDictionary(kv => kv.Key, kv => new TrendFigures(null, kv.Value), StringComparer.Ordinal)))
            .ToList();
        var chart = new ScottPlotChartRenderer(options, idPrefix).Trend(points, series, targets, title, caption: string.Empty);
        return new PassRateTrendSvg(chart.Svg.Markup, chart.HasText);
    }
}

/// <summary>One run on a pass-rate trend: its start and each series' pass rate (0..1); a series it did not measure is absent.</summary>
public sealed record PassRateTrendRun(string RunId, DateTimeOffset StartedAt, IReadOnlyDictionary<string, double> PassRates);

/// <summary>A rendered trend chart: sanitized SVG markup, and whether it has any text (false when the machine has no fonts).</summary>
public sealed record PassRateTrendSvg(string Svg, bool HasText)
{
    /// <summary>What to tell the reader when <see cref="HasText"/> is false.</summary>
    public static string MissingFontsMessage => ChartFonts.MissingFontsMessage;
}
