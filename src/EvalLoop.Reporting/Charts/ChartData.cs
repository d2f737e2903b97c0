namespace EvalLoop.Reporting.Charts;

/// <summary>One value of a metadata key and how its cases did.</summary>
internal sealed record SliceRate(string Value, int Cases, int Passed)
{
    public double Rate => Cases == 0 ? 0 : (double)Passed / Cases;
}

/// <summary>The pass rates of one metadata key, worst first, and how many values the key has in all.</summary>
internal sealed record SliceChartData(string Key, IReadOnlyList<SliceRate> Slices, int TotalValues);

/// <summary>One run of the experiment on the trend chart.</summary>
internal sealed record TrendPoint(string RunId, DateTimeOffset StartedAt, bool IsCurrent, IReadOnlyDictionary<string, TrendFigures> Scorers);

/// <summary>A scorer's mean score and pass rate in one run.</summary>
internal sealed record TrendFigures(double? Mean, double PassRate);

/// <summary>A failure cluster's label and size, for the cluster chart.</summary>
internal sealed record ClusterSize(string Name, int Size);
