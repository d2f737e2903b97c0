using EvalLoop.Core.Statistics;

namespace EvalLoop.Core.Tests.Statistics;

/// <summary>McNemar's test against values computed independently (exact binomial sums and erfc in Python's math module).</summary>
public sealed class McNemarTestTests
{
    [Theory]
    [InlineData(10, 2, 0.03857421875, McNemarResult.ExactMethod)] // 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12
    [InlineData(2, 10, 0.03857421875, McNemarResult.ExactMethod)] // symmetric: the test is two-sided
    [InlineData(19, 5, 0.006610751152038574, McNemarResult.ExactMethod)] // 24 discordant pairs: still exact
    [InlineData(5, 5, 1.0, McNemarResult.ExactMethod)] // capped at 1
    [InlineData(3, 3, 1.0, McNemarResult.ExactMethod)] // even flips: no evidence
    [InlineData(0, 0, 1.0, McNemarResult.ExactMethod)] // no discordant pair: no evidence
    [InlineData(15, 10, 0.4237107971667934, McNemarResult.ChiSquareMethod)] // 25 discordant pairs: chi-square, (|15-10|-1)^2/25 = 0.64
    [InlineData(30, 10, 0.002663119259138554, McNemarResult.ChiSquareMethod)] // (|30-10|-1)^2/40 = 9.025
    [InlineData(121, 59, 5.450094825427123e-06, McNemarResult.ChiSquareMethod)] // Wikipedia's McNemar example, corrected: 20.672
    public void MatchesKnownValues(int fixedCount, int brokenCount, double expectedP, string method)
    {
        // Act
        var result = McNemarTest.Compute(fixedCount, brokenCount);

        // Assert
        result.Method.Should().Be(method);
        result.PValue.Should().BeApproximately(expectedP, (expectedP * 1e-6) + 1e-12);
        result.Fixed.Should().Be(fixedCount);
        result.Broken.Should().Be(brokenCount);
    }

    [Fact]
    public void TheExactTestIsUsedBelow25DiscordantPairs()
    {
        McNemarTest.ExactBelow.Should().Be(25);
        McNemarTest.Compute(12, 12).Method.Should().Be(McNemarResult.ExactMethod);
        McNemarTest.Compute(12, 12).Statistic.Should().BeNull();
        McNemarTest.Compute(13, 12).Method.Should().Be(McNemarResult.ChiSquareMethod);
    }

    [Fact]
    public void TheChiSquareStatisticIsContinuityCorrected()
    {
        McNemarTest.Compute(30, 10).Statistic.Should().BeApproximately(9.025, 1e-12);
        McNemarTest.Compute(121, 59).Statistic.Should().BeApproximately(3721.0 / 180, 1e-12);
        McNemarTest.ChiSquareOneDofSurvival(3.841459).Should().BeApproximately(0.05, 1e-6);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.4795001)]
    [InlineData(1.0, 0.1572992)]
    [InlineData(2.0, 0.0046777)]
    [InlineData(-1.0, 1.8427008)]
    public void ErfcMatchesTabulatedValues(double x, double expected) =>
        McNemarTest.Erfc(x).Should().BeApproximately(expected, 2e-7);

    [Fact]
    public void TheExactTestStaysFiniteForLargeCounts()
    {
        McNemarTest.ExactPValue(5000, 5100).Should().BeInRange(0, 1);
        McNemarTest.ExactPValue(0, 2000).Should().Be(0, "2 * 2^-2000 underflows to zero, not NaN");
    }

    [Fact]
    public void NegativeCountsAreRefused()
    {
        var act = () => McNemarTest.Compute(-1, 3);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
