namespace EvalLoop.Suggestions.Verification;

/// <summary>What verification concluded about a suggestion, as stored in its evidence.</summary>
public static class Verdicts
{
    /// <summary>A significant gain (McNemar p below the significance level, more cases fixed than broken).</summary>
    public const string Significant = "significant";

    /// <summary>No significant change; the suggestion is kept but marked, and not proposed again unchanged.</summary>
    public const string NotSignificant = "not_significant";

    /// <summary>A significant loss.</summary>
    public const string Regression = "regression";

    /// <summary>Scorer suggestions: the stored outputs were re-scored (no model calls); the flips are listed.</summary>
    public const string Rescored = "rescored";

    /// <summary>Dataset suggestions: the rows and the baseline with and without them are shown; a human judges the data.</summary>
    public const string NeedsReview = "needs_review";

    public static string FromTest(double delta, double pValue, double significanceLevel) =>
        pValue < significanceLevel && delta > 0 ? Significant
        : pValue < significanceLevel && delta < 0 ? Regression
        : NotSignificant;
}
