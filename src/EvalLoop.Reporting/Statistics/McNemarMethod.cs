namespace EvalLoop.Reporting.Statistics;

/// <summary>Which form of McNemar's test produced a p-value.</summary>
internal enum McNemarMethod
{
    Exact,
    ChiSquare,
}
