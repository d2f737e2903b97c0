using EvalLoop.Models.Offline;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Offline;

public sealed class OfflineChatClientTests
{
    private const string BankingPrompt =
        "Classify the customer's message. Answer with one of the following intents:\n"
        + "- card_arrival\n- lost_or_stolen_card\n- exchange_rate\n- top_up_failed\n";

    [Fact]
    public async Task AnswersWithTheLabelWhoseWordsTheQueryShares()
    {
        // Arrange
        using var client = new OfflineChatClient();

        // Act
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, BankingPrompt), new ChatMessage(ChatRole.User, "What is today's exchange rate for euros?")]);

        // Assert
        response.Text.Should().Be("exchange_rate");
        response.Messages.Should().ContainSingle().Which.Role.Should().Be(ChatRole.Assistant);
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.ModelId.Should().Be("offline-knn-v1");
    }

    [Fact]
    public async Task GivesADifferentAnswerToTheSameInputWhenTheLabelListChanges()
    {
        // Arrange
        using var client = new OfflineChatClient();
        const string input = "My card was stolen yesterday";

        // Act
        var first = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer with one of: lost_or_stolen_card, card_arrival"), new ChatMessage(ChatRole.User, input)]);
        var second = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer with one of: theft_report, card_arrival"), new ChatMessage(ChatRole.User, input)]);

        // Assert
        first.Text.Should().Be("lost_or_stolen_card");
        second.Text.Should().Be("card_arrival");
    }

    [Fact]
    public async Task FollowsFewShotExamplesOverLabelWording()
    {
        // Arrange
        using var client = new OfflineChatClient();
        var withoutExamples = new ChatMessage(ChatRole.System, BankingPrompt);
        var withExamples = new ChatMessage(
            ChatRole.System,
            BankingPrompt + "\nMessage: the money I sent to my balance never appeared\nIntent: top_up_failed\n");
        const string input = "Money I sent to my balance is missing";

        // Act
        var before = await client.GetResponseAsync([withoutExamples, new ChatMessage(ChatRole.User, input)]);
        var after = await client.GetResponseAsync([withExamples, new ChatMessage(ChatRole.User, input)]);

        // Assert
        before.Text.Should().NotBe("top_up_failed");
        after.Text.Should().Be("top_up_failed");
    }

    [Fact]
    public async Task AnswersAnInputCopiedFromAnExampleWithThatExamplesOutput()
    {
        // Arrange
        using var client = new OfflineChatClient();
        var system = new ChatMessage(
            ChatRole.System,
            BankingPrompt + "\nMessage: Can I get a card delivered abroad?\nIntent: exchange_rate\n");

        // Act
        var response = await client.GetResponseAsync([system, new ChatMessage(ChatRole.User, "Can I get a card delivered abroad?")]);

        // Assert
        response.Text.Should().Be("exchange_rate");
        response.AdditionalProperties![OfflineChatClient.SimilarityPropertyName].Should().Be(1f);
    }

    [Fact]
    public async Task LearnsFromEarlierTurnsOfTheConversation()
    {
        // Arrange
        using var client = new OfflineChatClient();
        ChatMessage[] messages =
        [
            new(ChatRole.User, "The delivery was quick and the product is great"),
            new(ChatRole.Assistant, "positive"),
            new(ChatRole.User, "The product broke and support never answered"),
            new(ChatRole.Assistant, "negative"),
            new(ChatRole.User, "support never answered my emails"),
        ];

        // Act
        var response = await client.GetResponseAsync(messages);

        // Assert
        response.Text.Should().Be("negative");
    }

    [Fact]
    public async Task ClassifiesThePendingInputOfASingleMessagePrompt()
    {
        // Arrange
        using var client = new OfflineChatClient();
        const string prompt =
            "Classify the sentiment as one of: positive, negative.\n\n"
            + "Text: I love this phone\nLabel: positive\n\n"
            + "Text: this phone is awful\nLabel: negative\n\n"
            + "Text: awful battery, awful screen\nLabel:";

        // Act
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)]);

        // Assert
        response.Text.Should().Be("negative");
    }

    [Fact]
    public async Task TruncatesTheAnswerToMaxOutputTokens()
    {
        // Arrange
        using var client = new OfflineChatClient();
        var options = new ChatOptions { MaxOutputTokens = 2 };

        // Act
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer with one of: lost or stolen card, card arrival"), new ChatMessage(ChatRole.User, "my card was stolen")],
            options);

        // Assert
        response.Text.Should().Be("lost or");
        response.Usage!.OutputTokenCount.Should().Be(2);
        response.FinishReason.Should().Be(ChatFinishReason.Length);
    }

    [Fact]
    public async Task ReportsApproximateTokenUsageAndTheRequestedModelId()
    {
        // Arrange
        using var client = new OfflineChatClient();
        var options = new ChatOptions { ModelId = "my-offline", Temperature = 1.5f };

        // Act
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer with one of: yes, no"), new ChatMessage(ChatRole.User, "Is it yes?")],
            options);

        // Assert
        response.ModelId.Should().Be("my-offline");
        response.Text.Should().Be("yes");
        // "Answer with one of : yes , no" is 8 tokens, "Is it yes ?" is 4, "yes" is 1.
        response.Usage!.InputTokenCount.Should().Be(12);
        response.Usage.OutputTokenCount.Should().Be(1);
        response.Usage.TotalTokenCount.Should().Be(13);
        response.AdditionalProperties![OfflineChatClient.SimilarityPropertyName].Should().BeOfType<float>()
            .Which.Should().BeInRange(0.01f, 1.0001f);
    }

    [Fact]
    public async Task ThrowsAClearErrorWhenThePromptHasNeitherAnswersNorExamples()
    {
        // Arrange
        using var client = new OfflineChatClient();

        // Act
        var act = () => client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a helpful assistant."), new ChatMessage(ChatRole.User, "Write me a poem about banks.")]);

        // Assert
        (await act.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*offline model needs allowed answers or examples in the prompt*");
    }

    [Fact]
    public async Task ThrowsAClearErrorWhenThereIsNoUserMessage()
    {
        // Arrange
        using var client = new OfflineChatClient();

        // Act
        var act = () => client.GetResponseAsync([new ChatMessage(ChatRole.System, "Answer with one of: yes, no")]);

        // Assert
        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*needs a user message*");
    }

    [Fact]
    public async Task GivesTheSameAnswersFromManyConcurrentCallersAndCachesThePromptOnce()
    {
        // Arrange
        using var client = new OfflineChatClient();
        var system = new ChatMessage(ChatRole.System, BankingPrompt);
        string[] inputs = ["my card has not arrived", "someone stole my card", "exchange rate for dollars", "top up did not work"];
        var expected = new List<string>();
        using (var reference = new OfflineChatClient())
        {
            foreach (var input in inputs)
            {
                expected.Add((await reference.GetResponseAsync([system, new ChatMessage(ChatRole.User, input)])).Text);
            }
        }

        // Act
        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
            (await client.GetResponseAsync([system, new ChatMessage(ChatRole.User, inputs[i % inputs.Length])])).Text)));

        // Assert
        expected.Should().Equal("card_arrival", "lost_or_stolen_card", "exchange_rate", "top_up_failed");
        answers.Select((answer, i) => (answer, i)).Should().OnlyContain(pair => pair.answer == expected[pair.i % inputs.Length]);
        client.CachedPromptCount.Should().Be(1);
    }

    [Fact]
    public async Task KeepsNoMoreCachedPromptsThanItsCapacity()
    {
        // Arrange
        using var client = new OfflineChatClient(maxCachedPrompts: 3);

        // Act
        for (var i = 0; i < 10; i++)
        {
            await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, $"Answer with one of: yes, no, maybe{i}"), new ChatMessage(ChatRole.User, "yes")]);
        }

        // Assert
        client.CachedPromptCount.Should().Be(3);
    }

    [Fact]
    public async Task StreamsTheWholeAnswerAsOneUpdate()
    {
        // Arrange
        using var client = new OfflineChatClient();
        var updates = new List<ChatResponseUpdate>();

        // Act
        await foreach (var update in client.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.System, BankingPrompt), new ChatMessage(ChatRole.User, "my card has not arrived yet")]))
        {
            updates.Add(update);
        }

        // Assert
        var response = updates.ToChatResponse();
        response.Text.Should().Be("card_arrival");
        updates.Where(update => update.Text.Length > 0).Should().ContainSingle();
        response.Usage!.OutputTokenCount.Should().Be(3);
    }

    [Fact]
    public async Task HonoursACancelledToken()
    {
        // Arrange
        using var client = new OfflineChatClient();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // Act
        var act = () => client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, BankingPrompt), new ChatMessage(ChatRole.User, "card")],
            cancellationToken: cancellation.Token);

        // Assert
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void DescribesItselfAsTheOfflineProvider()
    {
        // Arrange
        using var client = new OfflineChatClient();

        // Act
        var metadata = client.GetService<ChatClientMetadata>();

        // Assert
        metadata!.ProviderName.Should().Be("offline");
        metadata.DefaultModelId.Should().Be("offline-knn-v1");
        metadata.ProviderUri.Should().BeNull();
        client.GetService<OfflineChatClient>().Should().BeSameAs(client);
    }
}
