using EvalLoop.Models.Offline;

namespace EvalLoop.Models.Tests.Offline;

public sealed class OfflinePromptIndexTests
{
    private static readonly LexicalTextFeaturizer Featurizer = new(1 << 16);

    [Fact]
    public void IgnoresExamplesWhoseOutputIsNotAnAllowedAnswer()
    {
        // Arrange
        OfflineLabel[] labels = [new("positive", null, true), new("negative", null, true)];
        OfflineExample[] examples = [new("a customer message", "the label"), new("great stuff", "positive")];

        // Act
        var index = OfflinePromptIndex.Build(Featurizer, labels, examples, prefixTokenCount: 0);

        // Assert
        index.Answers.Should().Equal("positive", "negative");
        index.ExampleCount.Should().Be(1);
    }

    [Fact]
    public void MatchesExampleOutputsToLabelsWrittenDifferently()
    {
        // Arrange
        OfflineLabel[] labels = [new("card_arrival", null, true), new("pin_blocked", null, true)];
        OfflineExample[] examples = [new("where is my card", "Card arrival."), new("PIN is locked", "PinBlocked")];

        // Act
        var index = OfflinePromptIndex.Build(Featurizer, labels, examples, prefixTokenCount: 0);

        // Assert
        index.Answers.Should().Equal("card_arrival", "pin_blocked");
        index.ExampleCount.Should().Be(2);
        index.Predict("my PIN is locked").Answer.Should().Be("pin_blocked");
    }

    [Fact]
    public void UsesOnlyTheAnnouncedListWhenThePromptHasOne()
    {
        // Arrange
        OfflineLabel[] labels = [new("be brief", null, false), new("refund", null, true), new("billing", null, true)];

        // Act
        var index = OfflinePromptIndex.Build(Featurizer, labels, [], prefixTokenCount: 0);

        // Assert
        index.Answers.Should().Equal("refund", "billing");
    }

    [Fact]
    public void TakesTheAnswersFromTheExamplesWhenThePromptListsNone()
    {
        // Arrange
        OfflineExample[] examples = [new("so happy", "joy"), new("so sad", "sadness"), new("very happy", "joy")];

        // Act
        var index = OfflinePromptIndex.Build(Featurizer, [], examples, prefixTokenCount: 0);

        // Assert
        index.Answers.Should().Equal("joy", "sadness");
        index.Predict("I am happy").Answer.Should().Be("joy");
    }

    [Fact]
    public void BreaksTiesByPromptOrderWhenNothingOverlaps()
    {
        // Arrange
        OfflineLabel[] labels = [new("zebra", null, true), new("yak", null, true)];
        var index = OfflinePromptIndex.Build(Featurizer, labels, [], prefixTokenCount: 0);

        // Act
        var prediction = index.Predict("completely unrelated words");

        // Assert
        prediction.Should().Be(new OfflinePrediction("zebra", 0f));
    }
}
