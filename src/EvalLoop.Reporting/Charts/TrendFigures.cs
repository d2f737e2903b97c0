namespace EvalLoop.Reporting.Charts;

/// <summary>A scorer's mean score and pass rate in one run.</summary>
internal sealed record TrendFigures(double? Mean, double PassRate);
