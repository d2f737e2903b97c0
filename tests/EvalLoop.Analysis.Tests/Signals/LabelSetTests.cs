using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Experiments;

namespace EvalLoop.Analysis.Tests.Signals;

public sealed class LabelSetTests
{
    [Fact]
    public void TakesTheLabelsThePromptLists()
    {
        var prompt = new PromptDefinition(
            """
            Classify the message. Allowed intents:
            - card_arrival
            * lost_or_stolen_card: the card is gone
            1. reverted_card_payment?
            - Answer with the intent only, nothing else.
            """,
            "{{input}}");

        var labels = LabelSet.Derive(prompt, []);

        labels.IsClassification.Should().BeTrue();
        labels.Labels.Should().BeEquivalentTo(["card_arrival", "lost_or_stolen_card", "reverted_card_payment?"]);
        labels.FromPrompt.Should().Be(3);
    }

    [Fact]
    public void TakesAnInlineListAfterOneOf()
    {
        var labels = LabelSet.Derive(new PromptDefinition(null, "Is this review positive? Answer one of: positive, negative, or neutral. {{input}}"), []);

        labels.Labels.Should().BeEquivalentTo(["positive", "negative", "neutral"]);
    }

    [Fact]
    public void TakesRepeatingShortExpectedValuesAsLabels()
    {
        var labels = LabelSet.Derive(new PromptDefinition(null, "{{input}}"), ["spam", "ham", "spam", "ham", "spam", null, "ham"]);

        labels.IsClassification.Should().BeTrue();
        labels.Labels.Should().BeEquivalentTo(["spam", "ham"]);
        labels.FromExpected.Should().Be(2);
    }

    [Fact]
    public void FreeTextAnswersAreNotALabelSet()
    {
        string[] answers =
        [
            "Paris is the capital of France.", "It was written by George Orwell in 1949.", "Water boils at 100 degrees Celsius at sea level.",
            "The mitochondria is the powerhouse of the cell.",
        ];

        var labels = LabelSet.Derive(new PromptDefinition("Answer the question.", "{{input}}"), answers);

        labels.IsClassification.Should().BeFalse();
        labels.TryMatch("Paris is the capital of France.", out _).Should().BeFalse();
    }

    [Fact]
    public void DistinctShortAnswersThatNeverRepeatAreNotLabels()
    {
        var labels = LabelSet.Derive(new PromptDefinition(null, "{{input}}"), ["42", "Paris", "1949", "blue whale", "Orwell", "7"]);

        labels.IsClassification.Should().BeFalse();
    }

    [Theory]
    [InlineData("card_arrival", "card_arrival")]
    [InlineData("  Card_Arrival \n", "card_arrival")]
    [InlineData("\"card_arrival\".", "card_arrival")]
    [InlineData("`card_arrival`", "card_arrival")]
    public void MatchesAnOutputToTheSetsSpellingOfItsLabel(string output, string expected)
    {
        var labels = LabelSet.Derive(new PromptDefinition("- card_arrival\n- card_linking", "{{input}}"), []);

        labels.TryMatch(output, out var label).Should().BeTrue();
        label.Should().Be(expected);
    }

    [Theory]
    [InlineData("card_arival")]
    [InlineData("The intent is card_arrival")]
    [InlineData("")]
    public void AnythingElseIsOutsideTheSet(string output)
    {
        var labels = LabelSet.Derive(new PromptDefinition("- card_arrival\n- card_linking", "{{input}}"), []);

        labels.TryMatch(output, out _).Should().BeFalse();
    }
}
