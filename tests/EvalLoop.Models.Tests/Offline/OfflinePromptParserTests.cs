using EvalLoop.Models.Offline;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Offline;

public sealed class OfflinePromptParserTests
{
    [Fact]
    public void ReadsDashStarAndNumberedListItemsAsLabels()
    {
        // Arrange
        const string text = "Classify the message.\n- card_arrival\n* Lost or stolen card\n1. refund_not_showing_up\n2) other";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Labels.Select(label => label.Name).Should().Equal(
            "card_arrival", "Lost or stolen card", "refund_not_showing_up", "other");
    }

    [Fact]
    public void ReadsACommaSeparatedListAfterOneOf()
    {
        // Arrange
        const string text = "Reply with one of: positive, negative, or neutral. Say nothing else.";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Labels.Select(label => label.Name).Should().Equal("positive", "negative", "neutral");
        structure.Labels.Should().OnlyContain(label => label.Announced);
    }

    [Fact]
    public void MarksAListIntroducedAsTheAnswersAsAnnounced()
    {
        // Arrange
        const string text = "Rules:\n- be brief\n\nChoose one of the following intents:\n- card_arrival\n- top_up_failed";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Labels.Where(label => label.Announced).Select(label => label.Name)
            .Should().Equal("card_arrival", "top_up_failed");
        structure.Labels.Should().ContainSingle(label => !label.Announced).Which.Name.Should().Be("be brief");
    }

    [Fact]
    public void SplitsALabelFromItsDescription()
    {
        // Arrange
        const string text = "Labels:\n- card_arrival: the customer is waiting for a card\n- pin_blocked - the PIN no longer works";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Labels.Should().Equal(
            new OfflineLabel("card_arrival", "the customer is waiting for a card", Announced: true),
            new OfflineLabel("pin_blocked", "the PIN no longer works", Announced: true));
    }

    [Fact]
    public void KeepsPunctuationThatIsPartOfAnIdentifierLabel()
    {
        // Arrange
        const string text = "Intents:\n- card_arrival\n- reverted_card_payment?\n- `pin_blocked`.";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Labels.Select(label => label.Name).Should().Equal("card_arrival", "reverted_card_payment?", "pin_blocked");
    }

    [Fact]
    public void IgnoresListItemsThatAreSentences()
    {
        // Arrange
        const string text = "- Answer with the label only.\n- Do you really need to explain why you chose it?\n- billing";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Labels.Select(label => label.Name).Should().Equal("billing");
    }

    [Theory]
    [InlineData("Input:", "Output:")]
    [InlineData("Q:", "A:")]
    [InlineData("message:", "INTENT:")]
    [InlineData("Text:", "Label:")]
    [InlineData("**Customer message:**", "**Intent:**")]
    public void ReadsExampleBlocksWithAnyPairOfKeys(string input, string output)
    {
        // Arrange
        var text = $"Examples:\n{input} where is my card?\n{output} card_arrival\n\n{input} I forgot my PIN\n{output} pin_blocked\n";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Examples.Should().Equal(
            new OfflineExample("where is my card?", "card_arrival"),
            new OfflineExample("I forgot my PIN", "pin_blocked"));
    }

    [Fact]
    public void TakesAnInputLeftWithoutAnAnswerAsThePendingQuery()
    {
        // Arrange
        const string text = "Message: hello\nIntent: greeting\n\nMessage: my card has not arrived\nIntent:";

        // Act
        var structure = OfflinePromptParser.ParseText(text);

        // Assert
        structure.Examples.Should().ContainSingle().Which.Should().Be(new OfflineExample("hello", "greeting"));
        structure.PendingInput.Should().Be("my card has not arrived");
    }

    [Fact]
    public void ReadsEarlierUserAndAssistantTurnsAsExamples()
    {
        // Arrange
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Classify the sentiment."),
            new(ChatRole.User, "I love it"),
            new(ChatRole.Assistant, "positive"),
            new(ChatRole.User, "Terrible service"),
            new(ChatRole.Assistant, "negative"),
            new(ChatRole.User, "The query itself"),
        ];

        // Act
        var (labels, examples) = OfflinePromptParser.ParsePrefix(messages, messages.Length - 1);

        // Assert
        labels.Should().BeEmpty();
        examples.Should().Equal(
            new OfflineExample("I love it", "positive"),
            new OfflineExample("Terrible service", "negative"));
    }

    [Fact]
    public void NeverReadsLabelsFromAssistantMessages()
    {
        // Arrange
        ChatMessage[] messages = [new(ChatRole.Assistant, "- not_a_label\n- neither"), new(ChatRole.User, "query")];

        // Act
        var (labels, _) = OfflinePromptParser.ParsePrefix(messages, 1);

        // Assert
        labels.Should().BeEmpty();
    }
}
