namespace EvalLoop.Reporting;

/// <summary>Checks <see cref="ReportOptions"/> at start-up.</summary>
public static class ReportOptionsValidator
{
    /// <summary>The problems found; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Check(options.MaxCellCharacters >= 100, "MaxCellCharacters must be at least 100.");
        Check(options.PageSize is >= 1 and <= 1000, "PageSize must be between 1 and 1000.");
        Check(options.TrendRuns is >= 1 and <= 500, "TrendRuns must be between 1 and 500.");
        Check(options.MaxSliceCharts >= 0, "MaxSliceCharts must not be negative.");
        Check(options.MaxSlicesPerChart >= 1, "MaxSlicesPerChart must be at least 1.");
        Check(options.MaxSliceValues >= 2, "MaxSliceValues must be at least 2.");
        Check(options.MaxChartClusters >= 1, "MaxChartClusters must be at least 1.");
        Check(options.ChartWidth is >= 200 and <= 4000 && options.ChartHeight is >= 150 and <= 4000, "ChartWidth must be 200..4000 and ChartHeight 150..4000 pixels.");
        Check(options.MaxChangedCases >= 0, "MaxChangedCases must not be negative.");
        Check(options.BootstrapResamples is >= 100 and <= 100_000, "BootstrapResamples must be between 100 and 100000.");
        return problems;

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(ReportOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid report options: " + string.Join(" ", problems), nameof(options));
        }
    }
}
