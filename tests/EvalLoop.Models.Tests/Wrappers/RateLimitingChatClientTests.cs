using EvalLoop.Models.Wrappers;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace EvalLoop.Models.Tests.Wrappers;

public sealed class RateLimitingChatClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task HoldsARequestBackUntilTheClockRefillsTheBucket()
    {
        var time = new FakeTimeProvider();
        using var inner = new CallbackChatClient("ok");
        using var client = new RateLimitingChatClient(inner, new RateLimitingChatClientOptions { RequestsPerMinute = 60, TimeProvider = time });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "first")]);
        var second = client.GetResponseAsync([new ChatMessage(ChatRole.User, "second")]);
        await Task.Delay(50);

        second.IsCompleted.Should().BeFalse("60 requests per minute allows one per second");
        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(Patience);
        inner.CallCount.Should().Be(2);
    }

    [Fact]
    public async Task WaitsForTokensEstimatedFromTheMessagesAndMaxTokens()
    {
        var time = new FakeTimeProvider();
        using var inner = new CallbackChatClient("ok");

        // 6000 tokens per minute refill 10 tokens every 100 ms; the bucket starts with a minute's worth.
        using var client = new RateLimitingChatClient(inner, new RateLimitingChatClientOptions { TokensPerMinute = 6000, TimeProvider = time });
        var prompt = new string('x', 400); // 100 tokens

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], new ChatOptions { MaxOutputTokens = 5900 });
        var second = client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], new ChatOptions { MaxOutputTokens = 100 });
        await Task.Delay(50);

        second.IsCompleted.Should().BeFalse("the first call used the whole minute's budget");
        for (var i = 0; i < 20 && !second.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        await second.WaitAsync(Patience);
        inner.CallCount.Should().Be(2);
    }

    [Fact]
    public async Task LetsACancelledCallerLeaveTheQueue()
    {
        var time = new FakeTimeProvider();
        using var inner = new CallbackChatClient("ok");
        using var client = new RateLimitingChatClient(inner, new RateLimitingChatClientOptions { RequestsPerMinute = 1, TimeProvider = time });
        using var cts = new CancellationTokenSource();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "first")]);
        var waiting = client.GetResponseAsync([new ChatMessage(ChatRole.User, "second")], cancellationToken: cts.Token);
        await cts.CancelAsync();

        var act = () => waiting.WaitAsync(Patience);
        await act.Should().ThrowAsync<OperationCanceledException>();
        inner.CallCount.Should().Be(1);
    }

    [Fact]
    public void EstimatesTokensAsCharactersOverFourPlusTheCompletionBudget() =>
        RateLimitingChatClient.EstimateTokens([new ChatMessage(ChatRole.System, "abcd"), new ChatMessage(ChatRole.User, "abcde")], 10)
            .Should().Be(3 + 10);
}
