using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Tests;

/// <summary>The paired statistics against values computed independently (exact binomial sums and erfc in Python's math module).</summary>
public sealed class StatisticsTests
{
    [Theory]
    [InlineData(10, 2, 0.03857421875, McNemarResult.ExactMethod)] // 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12
    [InlineData(2, 10, 0.03857421875, McNemarResult.ExactMethod)] // symmetric
    [InlineData(19, 5, 0.006610751152038574, McNemarResult.ExactMethod)] // 24 discordant pairs: still exact
    [InlineData(5, 5, 1.0, McNemarResult.ExactMethod)] // capped at 1
    [InlineData(0, 0, 1.0, McNemarResult.ExactMethod)] // no discordant pair: no evidence
    [InlineData(30, 10, 0.002663119259138554, McNemarResult.ChiSquareMethod)] // (|30-10|-1)^2/40 = 9.025
    [InlineData(121, 59, 5.450094825427123e-06, McNemarResult.ChiSquareMethod)] // Wikipedia's McNemar example, corrected: 20.672
    public void McNemarMatchesKnownValues(int fixedCount, int brokenCount, double expectedP, string method)
    {
        // Act
        var result = McNemarTest.Compute(fixedCount, brokenCount);

        // Assert
        result.Method.Should().Be(method);
        result.PValue.Should().BeApproximately(expectedP, expectedP * 1e-6 + 1e-12);
        result.Fixed.Should().Be(fixedCount);
        result.Broken.Should().Be(brokenCount);
    }

    [Fact]
    public void McNemarChiSquareStatisticIsContinuityCorrected()
    {
        McNemarTest.Compute(30, 10).Statistic.Should().BeApproximately(9.025, 1e-12);
        McNemarTest.Compute(121, 59).Statistic.Should().BeApproximately(3721.0 / 180, 1e-12);
    }

    [Fact]
    public void BootstrapOfAConstantDifferenceIsThatDifferenceExactly()
    {
        // Arrange
        var before = Enumerable.Repeat(0.25, 50).ToList();
        var after = Enumerable.Repeat(0.75, 50).ToList();

        // Act
        var result = PairedBootstrap.MeanDifference(before, after);

        // Assert
        result.Mean.Should().Be(0.5);
        result.Low.Should().Be(0.5);
        result.High.Should().Be(0.5);
        result.ExcludesZero.Should().BeTrue();
    }

    [Fact]
    public void BootstrapIntervalMatchesTheNormalApproximationOnALargeSample()
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
    public void BootstrapIsDeterministicForASeedAndIncludesZeroWithoutAnEffect()
    {
        // Arrange
        var before = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToList();
        var after = Enumerable.Range(0, 100).Select(i => i % 3 == 0 ? 1.0 : 0.0).ToList();

        // Act
        var first = PairedBootstrap.MeanDifference(before, after, seed: 11);
        var second = PairedBootstrap.MeanDifference(before, after, seed: 11);
        var none = PairedBootstrap.MeanDifference(before, before);

        // Assert
        second.Should().Be(first);
        none.ExcludesZero.Should().BeFalse();
        PairedBootstrap.Quantile([1, 2, 3, 4], 0.5).Should().Be(2.5, "type 7 interpolation, as R and NumPy");
    }

    [Fact]
    public void VerdictsNeedSignificanceAndADirection()
    {
        Verdicts.FromTest(0.2, 0.001, 0.05).Should().Be(Verdicts.Significant);
        Verdicts.FromTest(0.2, 0.2, 0.05).Should().Be(Verdicts.NotSignificant);
        Verdicts.FromTest(-0.2, 0.001, 0.05).Should().Be(Verdicts.Regression);
        Verdicts.FromTest(0, 1, 0.05).Should().Be(Verdicts.NotSignificant);
    }

    [Fact]
    public void FleissKappaMatchesAHandComputedValue()
    {
        // Arrange: P-bar = 0.75; p(pass) = 5/8, chance = 0.53125; kappa = 0.21875 / 0.46875.
        IReadOnlyList<IReadOnlyList<bool>> ratings = [[true, true], [false, false], [true, false], [true, true]];

        // Act
        var kappa = JudgeAgreement.FleissKappa(ratings);

        // Assert
        kappa.Should().BeApproximately(0.21875 / 0.46875, 1e-12);
        JudgeAgreement.FleissKappa([[true, true], [true, true]]).Should().BeNull("every rating is a pass: chance agreement is 1");
    }

    [Fact]
    public void PairwiseAgreementComparesOnlyTrialsWithEquivalentAnswers()
    {
        // Arrange: c1 answers the same (up to case) three times, graded pass, pass, fail; c2 answers two different things.
        JudgeAgreement.Grade[] grades =
        [
            new("c1", 1, "Refund", true), new("c1", 2, "refund", true), new("c1", 3, "refund.", false),
            new("c2", 1, "bug", true), new("c2", 2, "billing", false),
        ];

        // Act
        var figures = JudgeAgreement.Compute(grades);

        // Assert
        figures.ComparedCases.Should().Be(1, "c2's trials answered differently, so its verdicts may differ");
        figures.Pairs.Should().Be(3);
        figures.PairwiseAgreement.Should().BeApproximately(1.0 / 3, 1e-12);
        figures.Flips.Should().ContainSingle().Which.Should().BeEquivalentTo(new JudgeFlip("c1", 3, 2, ["Refund", "refund", "refund."]));
        figures.FlipRate.Should().Be(1);
    }
}

