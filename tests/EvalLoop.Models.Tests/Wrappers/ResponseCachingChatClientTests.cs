using EvalLoop.Core.Models;
using EvalLoop.Models.Wrappers;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Wrappers;

public sealed class ResponseCachingChatClientTests
{
    private static readonly ResponseCacheScope Scope = new("openai", "gpt-4o-mini", "http://127.0.0.1:1/v1");

    [Fact]
    public async Task NeverCallsTheInnerClientOnAHit()
    {
        var cache = new InMemoryResponseCache();
        using var inner = new CallbackChatClient("stored", inputTokens: 7, outputTokens: 2);
        using var client = new ResponseCachingChatClient(inner, cache, Scope);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);
        var hit = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);

        inner.CallCount.Should().Be(1);
        hit.AdditionalProperties![ChatResponseAnnotations.CacheHit].Should().Be(true);
        hit.Usage!.TotalTokenCount.Should().Be(9);
        hit.FinishReason.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task TreatsAnUnreadableEntryAsAMissAndRepairsIt()
    {
        var cache = new InMemoryResponseCache();
        using var inner = new CallbackChatClient("fresh");
        using var client = new ResponseCachingChatClient(inner, cache, Scope);
        List<ChatMessage> messages = [new(ChatRole.User, "q")];
        cache.Put(client.ComputeKey(messages), "{not json");

        var response = await client.GetResponseAsync(messages);

        response.Text.Should().Be("fresh");
        response.IsCacheHit().Should().BeFalse();
        (await client.GetResponseAsync(messages)).IsCacheHit().Should().BeTrue();
    }

    [Fact]
    public async Task DoesNotStoreResponsesThatAreNotPlainText()
    {
        var cache = new InMemoryResponseCache();
        using var inner = new CallbackChatClient((_, _, _) => Task.FromResult(new ChatResponse(
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup")]))));
        using var client = new ResponseCachingChatClient(inner, cache, Scope);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "use a tool")]);

        cache.Sets.Should().Be(0);
    }

    [Fact]
    public async Task StillAnswersWhenTheCacheFails()
    {
        using var inner = new CallbackChatClient("answer");
        using var client = new ResponseCachingChatClient(inner, new ThrowingCache(), Scope);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);

        response.Text.Should().Be("answer");
    }

    [Fact]
    public void KeysAreStableAndDependOnEverythingThatChangesTheAnswer()
    {
        using var inner = new CallbackChatClient("x");
        var cache = new InMemoryResponseCache();
        using var client = new ResponseCachingChatClient(inner, cache, Scope, new ChatOptionsDefaults("gpt-4o-mini", 0.0, 100));
        using var otherModel = new ResponseCachingChatClient(inner, cache, Scope with { Model = "gpt-4o" });
        using var otherEndpoint = new ResponseCachingChatClient(inner, cache, Scope with { Endpoint = "http://127.0.0.1:2/v1" }, new ChatOptionsDefaults("gpt-4o-mini", 0.0, 100));
        List<ChatMessage> messages = [new(ChatRole.System, "be brief"), new(ChatRole.User, "q")];

        var key = client.ComputeKey(messages);

        key.Should().MatchRegex("^[0-9a-f]{64}$");
        client.ComputeKey([new(ChatRole.System, "be brief"), new(ChatRole.User, "q")]).Should().Be(key);
        client.ComputeKey(messages, new ChatOptions { Temperature = 0f }).Should().Be(key, "the explicit value equals the default");
        client.ComputeKey(messages, new ChatOptions { Temperature = 0.5f }).Should().NotBe(key);
        client.ComputeKey(messages, new ChatOptions { MaxOutputTokens = 200 }).Should().NotBe(key);
        client.ComputeKey(messages, new ChatOptions { StopSequences = ["END"] }).Should().NotBe(key);
        client.ComputeKey([new(ChatRole.User, "be brief"), new(ChatRole.User, "q")]).Should().NotBe(key);
        client.ComputeKey([new(ChatRole.System, "be brief"), new(ChatRole.User, "q2")]).Should().NotBe(key);
        otherModel.ComputeKey(messages).Should().NotBe(key);
        otherEndpoint.ComputeKey(messages).Should().NotBe(key);
    }

    private sealed class ThrowingCache : EvalLoop.Core.Caching.IResponseCache
    {
        public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
            throw new IOException("disk gone");

        public ValueTask SetAsync(string key, string value, CancellationToken cancellationToken = default) =>
            throw new IOException("disk gone");
    }
}
