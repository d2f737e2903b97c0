namespace EvalLoop.Reporting.Statistics;

/// <summary>
/// A percentile bootstrap confidence interval of the mean paired difference (after − before) of scores: resample the
/// pairs with replacement, take the mean difference of each resample, and read the 2.5th and 97.5th percentiles.
/// Resampling pairs keeps each case's two scores together, which is what makes the comparison paired.
/// </summary>
internal static class PairedBootstrap
{
    public static BootstrapInterval MeanDifference(IReadOnlyList<double> before, IReadOnlyList<double> after, int resamples, int seed, double confidence = 0.95)
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
            return new BootstrapInterval(0, 0, 0, 0, confidence);
        }

        var differences = new double[n];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            differences[i] = after[i] - before[i];
            total += differences[i];
        }

        var means = new double[resamples];

        // A seeded generator: the same runs give the same report.
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
        return new BootstrapInterval(total / n, Quantile(means, alpha), Quantile(means, 1 - alpha), n, confidence);
    }

    /// <summary>Linear interpolation between order statistics (type 7, the default of R and NumPy).</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
