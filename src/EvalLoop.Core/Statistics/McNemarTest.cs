namespace EvalLoop.Core.Statistics;

/// <summary>
/// McNemar's test of paired pass/fail outcomes on the same cases: only the discordant pairs count, <c>fixed</c> (failed
/// before, passes after) and <c>broken</c> (passed before, fails after). Below <see cref="ExactBelow"/> discordant pairs
/// the exact two-sided binomial test is used, otherwise the chi-square test with continuity correction (Edwards).
/// </summary>
/// <remarks>
/// One implementation for the comparison report, a suggestion's verification and the service's regression check, so
/// a suggestion's p-value, the diff report of the runs it came from and a regression alert agree.
/// </remarks>
public static class McNemarTest
{
    /// <summary>Below this many discordant pairs the chi-square approximation is poor, so the exact test is used.</summary>
    public const int ExactBelow = 25;

    public static McNemarResult Compute(int fixedCount, int brokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fixedCount);
        ArgumentOutOfRangeException.ThrowIfNegative(brokenCount);
        var n = fixedCount + brokenCount;
        if (n == 0)
        {
            return new McNemarResult(fixedCount, brokenCount, 1, McNemarResult.ExactMethod, null);
        }

        if (n < ExactBelow)
        {
            return new McNemarResult(fixedCount, brokenCount, ExactPValue(fixedCount, brokenCount), McNemarResult.ExactMethod, null);
        }

        var difference = Math.Max(Math.Abs(fixedCount - brokenCount) - 1, 0);
        var statistic = (double)difference * difference / n;
        return new McNemarResult(fixedCount, brokenCount, ChiSquareOneDofSurvival(statistic), McNemarResult.ChiSquareMethod, statistic);
    }

    /// <summary>Two-sided exact p: twice the probability of a split at least as uneven under Binomial(n, 1/2), capped at 1.</summary>
    public static double ExactPValue(int a, int b)
    {
        var n = a + b;
        var k = Math.Min(a, b);

        // Sum C(n, i) / 2^n for i = 0..k in log space, so a large n neither overflows nor underflows early.
        var logTerm = -n * Math.Log(2);
        var logSum = logTerm;
        for (var i = 1; i <= k; i++)
        {
            logTerm += Math.Log(n - i + 1) - Math.Log(i);
            logSum = LogAdd(logSum, logTerm);
        }

        return Math.Min(1, 2 * Math.Exp(logSum));
    }

    /// <summary>P(X &gt; x) for a chi-square variable with one degree of freedom: erfc(sqrt(x / 2)).</summary>
    public static double ChiSquareOneDofSurvival(double x) => x <= 0 ? 1 : Erfc(Math.Sqrt(x / 2));

    /// <summary>The complementary error function, fractional error below 1.2e-7 everywhere (Numerical Recipes' erfcc).</summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806 + (t * (0.27886807
            + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var r = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? r : 2 - r;
    }

    private static double LogAdd(double a, double b)
    {
        var max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
