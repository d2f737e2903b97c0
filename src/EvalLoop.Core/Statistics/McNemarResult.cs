namespace EvalLoop.Core.Statistics;

/// <summary>
/// The outcome of <see cref="McNemarTest"/>: discordant counts, the two-sided p-value and the method
/// (<see cref="ExactMethod"/> or <see cref="ChiSquareMethod"/>). Stored in suggestion evidence as JSON: its property
/// names and the method strings are part of that stored shape.
/// </summary>
/// <param name="Statistic">The continuity-corrected chi-square statistic; null for the exact test.</param>
public sealed record McNemarResult(int Fixed, int Broken, double PValue, string Method, double? Statistic)
{
    public const string ExactMethod = "exact-binomial";
    public const string ChiSquareMethod = "chi-square-continuity-corrected";
}
