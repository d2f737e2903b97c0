namespace EvalLoop.Reporting;

/// <summary>
/// How reports are drawn. The defaults suit runs from a few cases to 100,000; tests and benchmarks change them.
/// </summary>
public sealed record ReportOptions
{
    /// <summary>
    /// The longest text kept per cell of the case table (input, expected, output, rationale, error); longer text is cut
    /// with a note of how much was left out. Keeps a 10,000-case report of long outputs openable. The full text stays in
    /// the database.
    /// </summary>
    public int MaxCellCharacters { get; init; } = 4000;

    /// <summary>Rows per page of the case table (the reader can change it in the page).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>
    /// How many of the experiment's runs the trend chart shows, this one included. Each earlier run costs one summary
    /// query (about 0.1 s of CPU for a 10,000-case run), so the default keeps a big run's report within seconds.
    /// </summary>
    public int TrendRuns { get; init; } = 10;

    /// <summary>Metadata keys charted by pass rate, the most informative first.</summary>
    public int MaxSliceCharts { get; init; } = 3;

    /// <summary>Bars per slice chart: the values with the lowest pass rate.</summary>
    public int MaxSlicesPerChart { get; init; } = 20;

    /// <summary>A metadata key with more distinct values than this (an id, a row number) is not a slice.</summary>
    public int MaxSliceValues { get; init; } = 200;

    /// <summary>Clusters on the cluster chart.</summary>
    public int MaxChartClusters { get; init; } = 15;

    /// <summary>Width and height, in pixels, of a chart (the page scales it down on narrow screens).</summary>
    public int ChartWidth { get; init; } = 640;

    public int ChartHeight { get; init; } = 320;

    /// <summary>Diff report: changed cases shown side by side per category (fixed, broken, output changed).</summary>
    public int MaxChangedCases { get; init; } = 1000;

    /// <summary>Diff report: resamples of the paired bootstrap of each scorer's mean difference.</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>Diff report: seed of the bootstrap, so that a report is reproducible.</summary>
    public int BootstrapSeed { get; init; } = 20_261_129;
}
