namespace EvalLoop.Reporting.Statistics;

/// <summary>A mean difference and its bootstrap confidence interval over <see cref="Pairs"/> pairs.</summary>
internal sealed record BootstrapInterval(double Mean, double Low, double High, int Pairs, double Confidence)
{
    /// <summary>Whether the interval excludes zero.</summary>
    public bool ExcludesZero => Pairs > 0 && (Low > 0 || High < 0);
}
