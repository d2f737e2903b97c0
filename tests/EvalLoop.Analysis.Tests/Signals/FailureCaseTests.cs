using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Runs;

namespace EvalLoop.Analysis.Tests.Signals;

public sealed class FailureCaseTests
{
    private static readonly LabelSet Labels = LabelSet.Derive(new PromptDefinition("- card_arrival\n- card_delivery_estimate", "{{input}}"), []);

    [Theory]
    [InlineData(null, "timeout", "error")]
    [InlineData("", null, "empty-output")]
    [InlineData("   ", null, "empty-output")]
    [InlineData("card_arival", null, "invalid-label")]
    [InlineData("Card_Delivery_Estimate", null, "confusion")]
    [InlineData("card_arrival", null, "scorer")]
    public void ClassifiesWhyAResultFailed(string? output, string? errorKind, string kind)
    {
        var failure = FailureCase.From(Result(output, errorKind), "where is my card", "card_arrival", Labels);

        failure.Kind.Should().Be(kind);
    }

    [Fact]
    public void AConfusionCarriesTheLabelSetsSpellingOfTheAnswer()
    {
        var failure = FailureCase.From(Result(" CARD_DELIVERY_ESTIMATE "), "where is my card", "card_arrival", Labels);

        failure.Pair.Should().Be(("card_arrival", "card_delivery_estimate"));
    }

    [Fact]
    public void WithoutALabelSetEveryOutputIsAScorerFailure()
    {
        var failure = FailureCase.From(Result("Lyon"), "capital of France?", "Paris", LabelSet.None);

        failure.Kind.Should().Be(FailureKinds.Scorer);
        failure.Pair.Should().BeNull();
    }

    private static CaseResult Result(string? output, string? errorKind = null) => new()
    {
        RunId = "run-1",
        CaseId = "c1",
        Trial = 1,
        Output = output,
        ErrorKind = errorKind,
        Scores = [new ScoreRecord("intent-match", 0, false, null, null)],
    };
}
