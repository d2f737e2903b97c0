using EvalLoop.Core.Models;
using EvalLoop.Models.Wrappers;
using EvalLoop.TestUtilities;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests;

public sealed class ModelProviderFactoryTests : LoopbackTestBase
{
    [Fact]
    public void RejectsAnUnknownProviderListingTheValidOnes()
    {
        var act = () => CreateFactory().Create(OpenAiSettings() with { Provider = "anthropic" }, new ChatClientCreationOptions());

        act.Should().Throw<ModelConfigurationException>()
            .WithMessage("*anthropic*")
            .Which.Message.Should().Contain("offline").And.Contain("openai").And.Contain("azure-openai");
    }

    [Fact]
    public void AcceptsAProviderNameInAnyCase()
    {
        using var client = CreateFactory().Create(OpenAiSettings() with { Provider = "OpenAI" }, new ChatClientCreationOptions());

        client.Should().NotBeNull();
    }

    [Fact]
    public void RequiresABaseUrlForAzureOpenAi()
    {
        var act = () => CreateFactory().Create(AzureSettings() with { BaseUrl = null }, new ChatClientCreationOptions());

        act.Should().Throw<ModelConfigurationException>().WithMessage("*base_url*");
    }

    [Fact]
    public void RequiresAKeyForTheOpenAiApiNamingTheVariable()
    {
        var settings = new ModelSettings { Provider = ModelProviders.OpenAi, Name = "gpt-4o", ApiKeyEnv = "EVALLOOP_TEST_MISSING_KEY" };

        var act = () => CreateFactory().Create(settings, new ChatClientCreationOptions());

        act.Should().Throw<ModelConfigurationException>().WithMessage("*EVALLOOP_TEST_MISSING_KEY*");
    }

    [Fact]
    public void NamesTheDefaultKeyVariableWhenNoneIsConfigured()
    {
        SetEnvironment("OPENAI_API_KEY", null);
        var settings = new ModelSettings { Provider = ModelProviders.OpenAi, Name = "gpt-4o" };

        var act = () => CreateFactory().Create(settings, new ChatClientCreationOptions());

        act.Should().Throw<ModelConfigurationException>().WithMessage("*OPENAI_API_KEY*");
    }

    [Fact]
    public void RequiresAKeyForAzureOpenAiEvenOnALocalAddress()
    {
        var act = () => CreateFactory().Create(AzureSettings() with { ApiKeyEnv = "EVALLOOP_TEST_MISSING_KEY" }, new ChatClientCreationOptions());

        act.Should().Throw<ModelConfigurationException>().WithMessage("*EVALLOOP_TEST_MISSING_KEY*");
    }

    [Theory]
    [InlineData("temperature")]
    [InlineData("max_tokens")]
    [InlineData("timeout")]
    [InlineData("max_retries")]
    [InlineData("requests_per_minute")]
    [InlineData("tokens_per_minute")]
    [InlineData("base_url")]
    public void RejectsSettingsThatCannotWork(string field)
    {
        var settings = field switch
        {
            "temperature" => OpenAiSettings() with { Temperature = 3.5 },
            "max_tokens" => OpenAiSettings() with { MaxTokens = 0 },
            "timeout" => OpenAiSettings() with { Timeout = TimeSpan.Zero },
            "max_retries" => OpenAiSettings() with { MaxRetries = -1 },
            "requests_per_minute" => OpenAiSettings() with { RequestsPerMinute = 0 },
            "tokens_per_minute" => OpenAiSettings() with { TokensPerMinute = -5 },
            _ => OpenAiSettings() with { BaseUrl = "not a url" },
        };

        var act = () => CreateFactory().Create(settings, new ChatClientCreationOptions());

        act.Should().Throw<ModelConfigurationException>().WithMessage($"*{field}*");
    }

    [Fact]
    public void ComposesTheWrappersItDocuments()
    {
        using var cached = CreateFactory().Create(OpenAiSettings() with { RequestsPerMinute = 60 }, new ChatClientCreationOptions());
        using var uncached = CreateFactory().Create(OpenAiSettings(), new ChatClientCreationOptions { UseCache = false });

        cached.Should().BeOfType<UsageCostChatClient>();
        cached.GetService<ResponseCachingChatClient>().Should().NotBeNull();
        cached.GetService<RateLimitingChatClient>().Should().NotBeNull();
        cached.GetService<ResilientChatClient>().Should().NotBeNull();
        uncached.GetService<ResponseCachingChatClient>().Should().BeNull();
        uncached.GetService<RateLimitingChatClient>().Should().BeNull();
    }

    [Fact]
    public async Task AnswersTheSecondIdenticalCallFromTheCache()
    {
        Server.Responder = _ => new LoopbackChatAnswer("cached answer", PromptTokens: 100, CompletionTokens: 20);
        using var client = CreateClient(OpenAiSettings() with { Temperature = 0 }, useCache: true);

        var first = await client.GetResponseAsync(Prompt("same question"));
        var second = await client.GetResponseAsync(Prompt("same question"));

        Server.RequestCount.Should().Be(1);
        first.IsCacheHit().Should().BeFalse();
        first.GetCost().Should().BeGreaterThan(0m);
        second.IsCacheHit().Should().BeTrue();
        second.GetCost().Should().Be(0m);
        second.Text.Should().Be("cached answer");
        second.ModelId.Should().Be("gpt-4o-mini");
        second.FinishReason.Should().Be(ChatFinishReason.Stop);
        second.Usage!.InputTokenCount.Should().Be(100);
        second.Usage.OutputTokenCount.Should().Be(20);
    }

    [Fact]
    public async Task SharesTheCacheBetweenClientsOfTheSameModel()
    {
        var factory = CreateFactory();
        using (var first = factory.Create(OpenAiSettings(), new ChatClientCreationOptions()))
        {
            await first.GetResponseAsync(Prompt("rerun me"));
        }

        using var second = factory.Create(OpenAiSettings(), new ChatClientCreationOptions());
        var response = await second.GetResponseAsync(Prompt("rerun me"));

        response.IsCacheHit().Should().BeTrue();
        Server.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task TreatsADifferentTemperatureAsACacheMiss()
    {
        var factory = CreateFactory();
        using var cold = factory.Create(OpenAiSettings() with { Temperature = 0 }, new ChatClientCreationOptions());
        using var warm = factory.Create(OpenAiSettings() with { Temperature = 0.7 }, new ChatClientCreationOptions());

        await cold.GetResponseAsync(Prompt("same question"));
        var fromSettings = await warm.GetResponseAsync(Prompt("same question"));
        var fromOptions = await cold.GetResponseAsync(Prompt("same question"), new ChatOptions { Temperature = 1.0f });

        fromSettings.IsCacheHit().Should().BeFalse();
        fromOptions.IsCacheHit().Should().BeFalse();
        Server.RequestCount.Should().Be(3);
    }

    [Fact]
    public async Task TreatsAnotherEndpointAsACacheMiss()
    {
        var factory = CreateFactory();
        using var openAi = factory.Create(OpenAiSettings("my-gpt-4o-mini"), new ChatClientCreationOptions());
        using var azure = factory.Create(AzureSettings("my-gpt-4o-mini"), new ChatClientCreationOptions());

        await openAi.GetResponseAsync(Prompt("where am I"));
        var response = await azure.GetResponseAsync(Prompt("where am I"));

        response.IsCacheHit().Should().BeFalse();
        Server.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task BypassesTheCacheWhenCachingIsOff()
    {
        using var client = CreateClient(OpenAiSettings(), useCache: false);

        await client.GetResponseAsync(Prompt("fresh"));
        var second = await client.GetResponseAsync(Prompt("fresh"));

        second.IsCacheHit().Should().BeFalse();
        Server.RequestCount.Should().Be(2);
        Cache.Gets.Should().Be(0);
        Cache.Sets.Should().Be(0);
    }

    [Fact]
    public async Task DoesNotCacheAFailedCall()
    {
        Server.EnqueueFault(LoopbackFault.Unauthorized());
        using var client = CreateClient(OpenAiSettings(), useCache: true);

        var act = () => client.GetResponseAsync(Prompt("fails first"));
        await act.Should().ThrowAsync<System.ClientModel.ClientResultException>();
        var retry = await client.GetResponseAsync(Prompt("fails first"));

        retry.IsCacheHit().Should().BeFalse();
        Cache.Sets.Should().Be(1);
        Server.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task ComputesTheCostFromThePriceTable()
    {
        Server.Responder = _ => new LoopbackChatAnswer("priced", PromptTokens: 1000, CompletionTokens: 500);
        using var client = CreateClient(OpenAiSettings("gpt-4o-mini"));

        var response = await client.GetResponseAsync(Prompt("how much"));

        // gpt-4o-mini: 0.15 in, 0.60 out per million tokens.
        response.GetCost().Should().Be(0.00045m);
    }

    [Fact]
    public async Task PrefersTheExperimentsPriceOverTheTable()
    {
        Server.Responder = _ => new LoopbackChatAnswer("priced", PromptTokens: 2_000_000, CompletionTokens: 1_000_000);
        using var client = CreateClient(OpenAiSettings("gpt-4o-mini") with { Price = new ModelPrice(1m, 2m) });

        var response = await client.GetResponseAsync(Prompt("how much"));

        response.GetCost().Should().Be(4m);
    }

    [Fact]
    public async Task RecordsZeroCostForAnUnknownLocalModel()
    {
        using var client = CreateClient(OpenAiSettings("llama3.2:3b"));

        var response = await client.GetResponseAsync(Prompt("free"));

        response.AdditionalProperties![ChatResponseAnnotations.Cost].Should().Be(0m);
    }

    [Fact]
    public async Task SpacesRequestsUnderARequestsPerMinuteLimit()
    {
        // 600 requests per minute is one every 100 ms.
        using var client = CreateClient(OpenAiSettings() with { RequestsPerMinute = 600 });

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.GetResponseAsync(Prompt($"request {i}"))));

        // Four gaps of 100 ms: 400 ms from first to last. The margin absorbs a slow first connection on a loaded machine;
        // without the limit all five arrive within a few milliseconds.
        var arrivals = Server.Requests.Select(r => r.ReceivedAt).Order().ToList();
        arrivals.Should().HaveCount(5);
        (arrivals[^1] - arrivals[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task CachesTheInProcessModelsResponsesToo()
    {
        var settings = new ModelSettings { Provider = ModelProviders.Offline, Name = "offline" };
        using var client = CreateFactory().Create(settings, new ChatClientCreationOptions());

        const string Question = "Classify the sentiment. Answer one of: positive, negative.\nText: the movie was great";
        var first = await client.GetResponseAsync(Prompt(Question));
        var second = await client.GetResponseAsync(Prompt(Question));

        first.IsCacheHit().Should().BeFalse();
        second.IsCacheHit().Should().BeTrue();
        second.Text.Should().Be(first.Text);
        first.GetCost().Should().Be(0m);
        Cache.Sets.Should().Be(1);
    }
}
