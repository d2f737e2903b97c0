namespace EvalLoop.Core.Statistics;

/// <summary>
/// Percentile bootstrap confidence interval of the mean paired difference (after − before) of scores: resample the
/// pairs with replacement, take each resample's mean difference, read the 2.5th and 97.5th percentiles (type 7
/// interpolation, the default of R and NumPy). Resampling pairs keeps each case's two scores together, which is what
/// makes the comparison paired. Seeded, so the same runs give the same interval.
/// </summary>
public static class PairedBootstrap
{
    public const int DefaultResamples = 2000;

    public static BootstrapResult MeanDifference(IReadOnlyList<double> before, IReadOnlyList<double> after, int resamples = DefaultResamples, int seed = 20250601, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Count != after.Count)
        {
            throw new ArgumentException("Paired samples must have the same length.", nameof(after));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var n = before.Count;
        if (n == 0)
        {
            return new BootstrapResult(0, 0, 0, 0, confidence, resamples);
        }

        var differences = new double[n];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            differences[i] = after[i] - before[i];
            total += differences[i];
        }

        var means = new double[resamples];
        var random = new Random(seed);
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += differences[random.Next(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        var alpha = (1 - confidence) / 2;
        return new BootstrapResult(total / n, Quantile(means, alpha), Quantile(means, 1 - alpha), n, confidence, resamples);
    }

    /// <summary>Linear interpolation between order statistics (type 7).</summary>
    public static double Quantile(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
