namespace EvalLoop.Reporting.Charts;

/// <summary>The pass rates of one metadata key, worst first, and how many values the key has in all.</summary>
internal sealed record SliceChartData(string Key, IReadOnlyList<SliceRate> Slices, int TotalValues);
