using EvalLoop.Core.Statistics;

namespace EvalLoop.Core.Tests.Statistics;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void TheIntervalOfAConstantDifferenceIsThatDifference()
    {
        // Arrange
        var before = Enumerable.Repeat(0.25, 50).ToList();
        var after = Enumerable.Repeat(0.75, 50).ToList();
        var uneven = new double[] { 0.1, 0.2, 0.3, 0.4 };

        // Act
        var result = PairedBootstrap.MeanDifference(before, after);
        var shifted = PairedBootstrap.MeanDifference(uneven, uneven.Select(x => x + 0.25).ToArray(), 500, 7);

        // Assert
        result.Mean.Should().Be(0.5);
        result.Low.Should().Be(0.5);
        result.High.Should().Be(0.5);
        result.ExcludesZero.Should().BeTrue();
        result.Resamples.Should().Be(PairedBootstrap.DefaultResamples);
        shifted.Mean.Should().BeApproximately(0.25, 1e-12);
        shifted.Low.Should().BeApproximately(0.25, 1e-12);
        shifted.High.Should().BeApproximately(0.25, 1e-12);
    }

    [Fact]
    public void TheIntervalMatchesTheNormalApproximationOnALargeSample()
    {
        // Arrange: 400 pairs, 120 improved by 1 and 280 unchanged: mean 0.3, standard error sqrt(0.3 * 0.7 / 400) = 0.0229.
        var before = Enumerable.Repeat(0.0, 400).ToList();
        var after = Enumerable.Range(0, 400).Select(i => i < 120 ? 1.0 : 0.0).ToList();
        var halfWidth = 1.959964 * Math.Sqrt(0.3 * 0.7 / 400);

        // Act
        var result = PairedBootstrap.MeanDifference(before, after, resamples: 4000, seed: 7);

        // Assert
        result.Mean.Should().BeApproximately(0.3, 1e-12);
        result.Low.Should().BeApproximately(0.3 - halfWidth, 0.006);
        result.High.Should().BeApproximately(0.3 + halfWidth, 0.006);
        result.Pairs.Should().Be(400);
    }

    [Fact]
    public void TheIntervalIsReproducibleForASeedCoversTheMeanAndIncludesZeroWithoutAnEffect()
    {
        // Arrange
        var random = new Random(1);
        var before = Enumerable.Range(0, 200).Select(_ => random.NextDouble()).ToArray();
        var after = before.Select(x => x + ((random.NextDouble() - 0.45) * 0.2)).ToArray();

        // Act
        var first = PairedBootstrap.MeanDifference(before, after, 1000, 42);
        var second = PairedBootstrap.MeanDifference(before, after, 1000, 42);
        var none = PairedBootstrap.MeanDifference(before, before);

        // Assert
        second.Should().Be(first);
        first.Low.Should().BeLessThan(first.Mean);
        first.High.Should().BeGreaterThan(first.Mean);
        first.Pairs.Should().Be(200);
        none.ExcludesZero.Should().BeFalse();
    }

    [Fact]
    public void NoPairsGiveAnEmptyIntervalAndUnequalSamplesAreRefused()
    {
        PairedBootstrap.MeanDifference([], [], 100, 1).Pairs.Should().Be(0);
        var act = () => PairedBootstrap.MeanDifference([1.0], [], 100, 1);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void QuantilesInterpolateBetweenOrderStatisticsAsRAndNumPy()
    {
        double[] sorted = [1, 2, 3, 4];

        PairedBootstrap.Quantile(sorted, 0).Should().Be(1);
        PairedBootstrap.Quantile(sorted, 0.5).Should().Be(2.5);
        PairedBootstrap.Quantile(sorted, 1).Should().Be(4);
    }
}
