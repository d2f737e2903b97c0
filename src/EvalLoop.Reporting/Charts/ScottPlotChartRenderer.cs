using System.Globalization;
using EvalLoop.Reporting.Html;
using ScottPlot;

namespace EvalLoop.Reporting.Charts;

/// <summary>
/// Draws the report's charts with ScottPlot and returns them as sanitized inline SVG. One instance per report: it
/// numbers the charts so that their ids are unique on the page (two renderers on one page need distinct
/// <paramref name="idPrefix"/>es).
/// </summary>
internal sealed class ScottPlotChartRenderer(ReportOptions options, string idPrefix = "chart")
{
    private static readonly Color Pass = Color.FromHex("#2E7D32");
    private static readonly Color Fail = Color.FromHex("#C62828");
    private static readonly Color Neutral = Color.FromHex("#1565C0");
    private static readonly Color[] Series =
    [
        Color.FromHex("#1565C0"), Color.FromHex("#EF6C00"), Color.FromHex("#6A1B9A"), Color.FromHex("#00838F"),
        Color.FromHex("#AD1457"), Color.FromHex("#558B2F"), Color.FromHex("#4E342E"), Color.FromHex("#37474F"),
    ];

    private int _count;

    /// <summary>A histogram of one scorer's scores over [0, 1], bars at or above the pass threshold in green.</summary>
    public ChartSvg ScoreDistribution(string scorer, IReadOnlyList<double> scores, double? threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        const int Bins = 20;
        const double Width = 1.0 / Bins;
        var counts = new int[Bins];
        foreach (var score in scores)
        {
            counts[Math.Clamp((int)Math.Floor(score / Width), 0, Bins - 1)]++;
        }

        var plot = NewPlot();
        var bars = new List<Bar>();
        for (var i = 0; i < Bins; i++)
        {
            var centre = (i + 0.5) * Width;
            var passes = threshold is { } t ? i * Width + 1e-9 >= t || (i == Bins - 1 && t <= 1) : (bool?)null;
            bars.Add(new Bar
            {
                Position = centre,
                Value = counts[i],
                Size = Width * 0.92,
                FillColor = passes switch { true => Pass, false => Fail, null => Neutral },
                LineWidth = 0,
            });
        }

        plot.Add.Bars(bars);
        if (threshold is { } line)
        {
            var marker = plot.Add.VerticalLine(line, 1.5f, Colors.Black.WithAlpha(0.7));
            marker.LegendText = "threshold " + line.ToString("0.##", CultureInfo.InvariantCulture);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.Axes.SetLimitsX(0, 1);
        plot.Axes.Margins(bottom: 0);
        plot.Title(ChartLabel.Clean(scorer, 60));
        plot.XLabel("score");
        plot.YLabel("cases");
        return Render(
            plot,
            options.ChartWidth,
            options.ChartHeight,
            $"Score distribution: {scorer}",
            string.Create(CultureInfo.InvariantCulture, $"{scores.Count:N0} scored results in {Bins} bins of width {Width:0.##}."));
    }

    /// <summary>Pass rate per value of a metadata key, as horizontal bars, worst first.</summary>
    public ChartSvg PassRateBySlice(SliceChartData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var plot = NewPlot();
        var slices = data.Slices;
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < slices.Count; i++)
        {
            // The worst slice goes on top: position counts down from the top of the axis.
            var position = slices.Count - 1 - i;
            var slice = slices[i];
            bars.Add(new Bar
            {
                Position = position,
                Value = slice.Rate * 100,
                Size = 0.75,
                FillColor = Mix(slice.Rate),
                LineWidth = 0,
            });
            ticks.Add(new Tick(position, string.Create(CultureInfo.InvariantCulture, $"{ChartLabel.Clean(slice.Value, 32)} ({slice.Cases})")));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.SetLimitsX(0, 100);
        plot.Axes.SetLimitsY(-0.6, slices.Count - 0.4);
        plot.Title("Pass rate by " + ChartLabel.Clean(data.Key, 40));
        plot.XLabel("pass rate (%)");
        plot.YLabel(ChartLabel.Clean(data.Key, 40));
        var caption = data.TotalValues > slices.Count
            ? $"The {slices.Count} values of metadata '{data.Key}' with the lowest pass rate, of {data.TotalValues}; (n) is the number of results."
            : $"Every value of metadata '{data.Key}'; (n) is the number of results.";
        return Render(plot, options.ChartWidth, Math.Max(options.ChartHeight, 70 + (22 * slices.Count)), $"Pass rate by {data.Key}", caption);
    }

    /// <summary>
    /// Each scorer's pass rate (bold) and mean score (faint) over the experiment's runs, oldest first, with its target as
    /// a faint horizontal line. Lines are solid: Skia's SVG output cannot draw dashes (and says so on stderr).
    /// </summary>
    /// <param name="title">The plot's title; the run report's by default.</param>
    /// <param name="caption">The caption; by default one about this experiment's runs and the current run.</param>
    public ChartSvg Trend(IReadOnlyList<TrendPoint> points, IReadOnlyList<string> scorers, IReadOnlyDictionary<string, double> targets, string? title = null, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(scorers);
        ArgumentNullException.ThrowIfNull(targets);
        var plot = NewPlot();
        var xs = Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray();
        for (var s = 0; s < scorers.Count && s < Series.Length; s++)
        {
            var name = scorers[s];
            var color = Series[s];
            var passRates = points.Select(p => p.Scorers.TryGetValue(name, out var f) ? f.PassRate * 100 : double.NaN).ToArray();
            var means = points.Select(p => p.Scorers.TryGetValue(name, out var f) && f.Mean is { } m ? m * 100 : double.NaN).ToArray();
            var rate = plot.Add.Scatter(xs, passRates, color);
            rate.LegendText = ChartLabel.Clean(name, 30) + " pass rate";
            rate.MarkerSize = 7;
            rate.LineWidth = 2;
            if (means.Any(m => !double.IsNaN(m)))
            {
                var mean = plot.Add.Scatter(xs, means, color);
                mean.LegendText = ChartLabel.Clean(name, 30) + " mean score";
                mean.Color = color.WithAlpha(0.45);
                mean.LineWidth = 1;
                mean.MarkerSize = 4;
            }

            if (targets.TryGetValue(name, out var target))
            {
                var line = plot.Add.HorizontalLine(target * 100, 1, color.WithAlpha(0.6));
                line.LegendText = ChartLabel.Clean(name, 30) + " target";
            }
        }

        var current = points.ToList().FindIndex(p => p.IsCurrent);
        if (current >= 0)
        {
            plot.Add.VerticalLine(current, 1, Colors.Gray.WithAlpha(0.6));
        }

        var ticks = points.Select((p, i) => new Tick(i, p.StartedAt.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 70;
        plot.Axes.SetLimitsX(-0.5, Math.Max(points.Count - 0.5, 0.5));
        plot.Axes.SetLimitsY(0, 105);
        plot.Title(ChartLabel.Clean(title ?? "Trend over this experiment's runs", 80));
        plot.XLabel("run start (UTC)");
        plot.YLabel("percent");
        plot.ShowLegend(Alignment.LowerLeft);
        caption ??= points.Count == 1
            ? "The first run of this experiment: later runs will draw the trend."
            : $"The last {points.Count} completed full runs of this experiment, oldest first; the grey vertical line is this run.";
        return Render(plot, options.ChartWidth * 3 / 2, options.ChartHeight + 40, "Score trend", caption);
    }

    /// <summary>Failure clusters by size, largest on top.</summary>
    public ChartSvg ClustersBySize(IReadOnlyList<ClusterSize> clusters, int failures)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var plot = NewPlot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < clusters.Count; i++)
        {
            var position = clusters.Count - 1 - i;
            bars.Add(new Bar { Position = position, Value = clusters[i].Size, Size = 0.75, FillColor = Fail, LineWidth = 0 });
            ticks.Add(new Tick(position, ChartLabel.Clean(clusters[i].Name, 40)));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.SetLimitsY(-0.6, clusters.Count - 0.4);
        plot.Axes.Margins(left: 0);
        plot.Title("Failure clusters by size");
        plot.XLabel("failing results");
        return Render(
            plot,
            options.ChartWidth,
            Math.Max(options.ChartHeight, 70 + (24 * clusters.Count)),
            "Failure clusters",
            string.Create(CultureInfo.InvariantCulture, $"{clusters.Sum(c => c.Size):N0} of {failures:N0} failing results fall in the {clusters.Count} largest clusters."));
    }

    /// <summary>A histogram of model-call latencies; the slowest 1% are folded into the last bar so one outlier cannot flatten the rest.</summary>
    public ChartSvg Latency(IReadOnlyList<double> latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        const int Bins = 30;
        var sorted = latencies.Order().ToArray();
        var top = sorted.Length == 0 ? 1 : sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Length) - 1, 0, sorted.Length - 1)];
        top = top <= 0 ? 1 : top;
        var width = top / Bins;
        var counts = new int[Bins];
        foreach (var value in sorted)
        {
            counts[Math.Clamp((int)Math.Floor(value / width), 0, Bins - 1)]++;
        }

        var plot = NewPlot();
        plot.Add.Bars(Enumerable.Range(0, Bins).Select(i => new Bar
        {
            Position = (i + 0.5) * width,
            Value = counts[i],
            Size = width * 0.92,
            FillColor = Neutral,
            LineWidth = 0,
        }).ToList());
        plot.Axes.SetLimitsX(0, top);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Latency");
        plot.XLabel("latency (ms)");
        plot.YLabel("results");
        return Render(
            plot,
            options.ChartWidth,
            options.ChartHeight,
            "Latency distribution",
            string.Create(CultureInfo.InvariantCulture, $"{sorted.Length:N0} results; results slower than the 99th percentile ({top:0.#} ms) are counted in the last bar."));
    }

    private static Plot NewPlot() => new();

    private static Color Mix(double rate) =>
        rate >= 0.999 ? Pass : rate <= 0.001 ? Fail : Color.InterpolateRgb(Fail, Pass, rate);

    private ChartSvg Render(Plot plot, int width, int height, string title, string caption)
    {
        if (ChartFonts.Family is { } family)
        {
            plot.Font.Set(family);
        }

        var raw = plot.GetSvgXml(width, height);
        var id = Interlocked.Increment(ref _count);
        var svg = SvgSanitizer.Sanitize(raw, string.Create(CultureInfo.InvariantCulture, $"{idPrefix}{id}-"), title);
        return new ChartSvg(title, caption, HtmlFragment.Trusted(svg), svg.Contains("<text", StringComparison.Ordinal));
    }
}
