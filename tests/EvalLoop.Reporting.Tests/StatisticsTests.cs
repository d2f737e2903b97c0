using EvalLoop.Reporting.Statistics;

namespace EvalLoop.Reporting.Tests;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.4795001)]
    [InlineData(1.0, 0.1572992)]
    [InlineData(2.0, 0.0046777)]
    [InlineData(-1.0, 1.8427008)]
    public void ErfcMatchesTabulatedValues(double x, double expected) =>
        McNemarTest.Erfc(x).Should().BeApproximately(expected, 2e-7);

    [Fact]
    public void TheExactTestIsTwiceTheBinomialTailOfTheSmallerCount()
    {
        // n = 12, k = 2: 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 158 / 4096.
        var result = McNemarTest.Compute(fixedCount: 10, brokenCount: 2);

        result.Method.Should().Be(McNemarMethod.Exact);
        result.PValue.Should().BeApproximately(158.0 / 4096, 1e-12);
        McNemarTest.Compute(2, 10).PValue.Should().BeApproximately(158.0 / 4096, 1e-12, "the test is two-sided");
    }

    [Fact]
    public void ManyFlipsUseTheContinuityCorrectedChiSquare()
    {
        // (|30 - 10| - 1)^2 / 40 = 9.025; P(chi2(1) > 9.025) = 0.002663.
        var result = McNemarTest.Compute(30, 10);

        result.Method.Should().Be(McNemarMethod.ChiSquare);
        result.Statistic.Should().BeApproximately(9.025, 1e-12);
        result.PValue.Should().BeApproximately(0.002663, 1e-5);
        McNemarTest.ChiSquareOneDofSurvival(3.841459).Should().BeApproximately(0.05, 1e-6);
    }

    [Fact]
    public void NoFlipsAndEvenFlipsGiveAPValueOfOne()
    {
        McNemarTest.Compute(0, 0).PValue.Should().Be(1);
        McNemarTest.Compute(3, 3).PValue.Should().Be(1);
    }

    [Fact]
    public void TheExactTestStaysFiniteForLargeCounts()
    {
        McNemarTest.ExactPValue(5000, 5100).Should().BeInRange(0, 1);
        McNemarTest.ExactPValue(0, 2000).Should().Be(0, "2 * 2^-2000 underflows to zero, not NaN");
    }

    [Fact]
    public void TheBootstrapIntervalOfAConstantDifferenceIsThatDifference()
    {
        var before = new double[] { 0.1, 0.2, 0.3, 0.4 };
        var after = before.Select(x => x + 0.25).ToArray();

        var interval = PairedBootstrap.MeanDifference(before, after, 500, 7);

        interval.Mean.Should().BeApproximately(0.25, 1e-12);
        interval.Low.Should().BeApproximately(0.25, 1e-12);
        interval.High.Should().BeApproximately(0.25, 1e-12);
        interval.ExcludesZero.Should().BeTrue();
    }

    [Fact]
    public void TheBootstrapIsReproducibleAndCoversTheMean()
    {
        var random = new Random(1);
        var before = Enumerable.Range(0, 200).Select(_ => random.NextDouble()).ToArray();
        var after = before.Select(x => x + ((random.NextDouble() - 0.45) * 0.2)).ToArray();

        var first = PairedBootstrap.MeanDifference(before, after, 1000, 42);
        var second = PairedBootstrap.MeanDifference(before, after, 1000, 42);

        second.Should().Be(first);
        first.Low.Should().BeLessThan(first.Mean);
        first.High.Should().BeGreaterThan(first.Mean);
        first.Pairs.Should().Be(200);
    }

    [Fact]
    public void TheBootstrapOfNoPairsIsEmptyAndUnequalSamplesAreRefused()
    {
        PairedBootstrap.MeanDifference([], [], 100, 1).Pairs.Should().Be(0);
        var act = () => PairedBootstrap.MeanDifference([1.0], [], 100, 1);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void QuantilesInterpolateBetweenOrderStatistics()
    {
        double[] sorted = [1, 2, 3, 4];

        PairedBootstrap.Quantile(sorted, 0).Should().Be(1);
        PairedBootstrap.Quantile(sorted, 0.5).Should().Be(2.5);
        PairedBootstrap.Quantile(sorted, 1).Should().Be(4);
    }
}
