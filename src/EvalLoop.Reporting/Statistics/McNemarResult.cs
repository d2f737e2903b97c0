namespace EvalLoop.Reporting.Statistics;

/// <summary>The outcome of <see cref="McNemarTest"/>: the discordant counts, the two-sided p-value and the method.</summary>
/// <param name="Statistic">The continuity-corrected chi-square statistic; null for the exact test.</param>
internal sealed record McNemarResult(int Fixed, int Broken, double PValue, McNemarMethod Method, double? Statistic)
{
    public string MethodName => Method == McNemarMethod.Exact ? "McNemar exact (binomial)" : "McNemar χ² (continuity-corrected)";
}
