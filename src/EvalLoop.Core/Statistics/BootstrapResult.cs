namespace EvalLoop.Core.Statistics;

/// <summary>
/// A mean paired difference and its bootstrap confidence interval [<see cref="Low"/>, <see cref="High"/>]. Stored in
/// suggestion evidence as JSON (<see cref="ExcludesZero"/> included): its property names are part of that stored shape.
/// </summary>
public sealed record BootstrapResult(double Mean, double Low, double High, int Pairs, double Confidence, int Resamples)
{
    /// <summary>Whether the interval excludes zero.</summary>
    public bool ExcludesZero => Pairs > 0 && (Low > 0 || High < 0);
}
