using EvalLoop.Core.Models;
using EvalLoop.Models.Wrappers;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Wrappers;

public sealed class UsageCostChatClientTests
{
    [Fact]
    public async Task PricesInputAndOutputTokensPerMillion()
    {
        using var inner = new CallbackChatClient("x", inputTokens: 1_000_000, outputTokens: 500_000);
        using var client = new UsageCostChatClient(inner, new ModelPrice(2.5m, 10m));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);

        response.GetCost().Should().Be(7.5m);
    }

    [Fact]
    public async Task ChargesNothingForACacheHit()
    {
        using var inner = new CallbackChatClient((_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 100 },
            AdditionalProperties = new() { [ChatResponseAnnotations.CacheHit] = true },
        }));
        using var client = new UsageCostChatClient(inner, new ModelPrice(2.5m, 10m));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);

        response.AdditionalProperties![ChatResponseAnnotations.Cost].Should().Be(0m);
    }

    [Fact]
    public async Task ChargesNothingWithoutUsage()
    {
        using var inner = new CallbackChatClient((_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))));
        using var client = new UsageCostChatClient(inner, new ModelPrice(2.5m, 10m));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);

        response.AdditionalProperties![ChatResponseAnnotations.Cost].Should().Be(0m);
    }
}
