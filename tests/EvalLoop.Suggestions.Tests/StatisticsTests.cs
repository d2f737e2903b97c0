using EvalLoop.Core.Statistics;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Tests;

/// <summary>Verdicts and judge agreement (McNemar's test and the paired bootstrap are tested in EvalLoop.Core.Tests).</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void TheTestsInPromptEvidenceKeepTheJsonShapeStoredSuggestionsHave()
    {
        // Arrange: as written into evidence_json before the statistics moved to EvalLoop.Core.
        const string StoredMcNemar = """{"fixed":30,"broken":10,"p_value":0.002663119259138554,"method":"chi-square-continuity-corrected","statistic":9.025}""";
        const string StoredBootstrap = """{"mean":0.5,"low":0.5,"high":0.5,"pairs":50,"confidence":0.95,"resamples":2000,"excludes_zero":true}""";

        // Act
        var mcNemar = SuggestionJson.Deserialize<McNemarResult>(StoredMcNemar);
        var bootstrap = SuggestionJson.Deserialize<BootstrapResult>(StoredBootstrap);

        // Assert
        mcNemar.Should().Be(new McNemarResult(30, 10, 0.002663119259138554, McNemarResult.ChiSquareMethod, 9.025));
        SuggestionJson.Serialize(mcNemar).Should().Be(StoredMcNemar);
        SuggestionJson.Serialize(McNemarTest.Compute(2, 10)).Should().Contain("\"method\":\"exact-binomial\"").And.NotContain("statistic", "a null statistic is not written");
        bootstrap.Should().Be(PairedBootstrap.MeanDifference(Enumerable.Repeat(0.25, 50).ToList(), Enumerable.Repeat(0.75, 50).ToList()));
        SuggestionJson.Serialize(bootstrap).Should().Be(StoredBootstrap);
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
        // Arrange: c1 answers something else once, then the same (up to case) three times, graded pass, pass, fail; c2
        // answers two different things.
        JudgeAgreement.Grade[] grades =
        [
            new("c1", 1, "billing", true), new("c1", 2, "Refund", true), new("c1", 3, "refund", true), new("c1", 4, "refund.", false),
            new("c2", 1, "bug", true), new("c2", 2, "billing", false),
        ];

        // Act
        var figures = JudgeAgreement.Compute(grades);

        // Assert
        figures.ComparedCases.Should().Be(1, "c2's trials answered differently, so its verdicts may differ");
        figures.Pairs.Should().Be(3);
        figures.PairwiseAgreement.Should().BeApproximately(1.0 / 3, 1e-12);
        figures.Flips.Should().ContainSingle().Which.Should().BeEquivalentTo(new JudgeFlip("c1", 4, 3, ["Refund", "refund", "refund."]), o => o.WithStrictOrdering());
        figures.Flips[0].Outputs.Should().NotContain("billing", "only the equivalent answers graded both ways are quoted");
        figures.FlipRate.Should().Be(1);
    }
}

