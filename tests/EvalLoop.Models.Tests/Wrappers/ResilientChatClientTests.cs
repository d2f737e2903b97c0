using System.Net;
using EvalLoop.Core.Models;
using EvalLoop.Models.Wrappers;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;
using Polly.Timeout;

namespace EvalLoop.Models.Tests.Wrappers;

public sealed class ResilientChatClientTests
{
    private static readonly ResilientChatClientOptions FastOptions = new()
    {
        ModelName = "fake",
        MaxRetries = 3,
        AttemptTimeout = TimeSpan.FromSeconds(5),
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(5),
    };

    [Fact]
    public async Task RetriesANetworkFailureAndCountsTheAttempts()
    {
        var failures = 2;
        using var inner = new CallbackChatClient((_, _, _) =>
            Interlocked.Decrement(ref failures) >= 0
                ? throw new HttpRequestException("connection refused")
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "up"))));
        using var client = new ResilientChatClient(inner, FastOptions);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")]);

        response.Text.Should().Be("up");
        response.AdditionalProperties![ChatResponseAnnotations.Attempts].Should().Be(3);
        inner.CallCount.Should().Be(3);
    }

    [Fact]
    public async Task DoesNotRetryAnErrorThatIsNotTransient()
    {
        using var inner = new CallbackChatClient((_, _, _) => throw new InvalidOperationException("bad request shape"));
        using var client = new ResilientChatClient(inner, FastOptions);

        var act = () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")]);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Data[ChatResponseAnnotations.Attempts].Should().Be(1);
        inner.CallCount.Should().Be(1);
    }

    [Fact]
    public async Task MakesASingleAttemptWhenRetriesAreZero()
    {
        using var inner = new CallbackChatClient((_, _, _) => throw new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable));
        using var client = new ResilientChatClient(inner, FastOptions with { MaxRetries = 0 });

        var act = () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")]);

        await act.Should().ThrowAsync<HttpRequestException>();
        inner.CallCount.Should().Be(1);
    }

    [Fact]
    public async Task DoesNotRetryWhenTheCallerCancels()
    {
        using var cts = new CancellationTokenSource();
        using var inner = new CallbackChatClient(async (_, _, token) =>
        {
            await cts.CancelAsync();
            token.ThrowIfCancellationRequested();
            return new ChatResponse();
        });
        using var client = new ResilientChatClient(inner, FastOptions);

        var act = () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")], cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        inner.CallCount.Should().Be(1);
    }

    [Fact]
    public async Task TurnsExhaustedAttemptTimeoutsIntoATimeoutException()
    {
        using var inner = new CallbackChatClient(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new ChatResponse();
        });
        using var client = new ResilientChatClient(inner, FastOptions with { MaxRetries = 1, AttemptTimeout = TimeSpan.FromMilliseconds(50) });

        var act = () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "ping")]);

        var thrown = await act.Should().ThrowAsync<TimeoutException>();
        thrown.Which.InnerException.Should().BeOfType<TimeoutRejectedException>();
        thrown.Which.Data[ChatResponseAnnotations.Attempts].Should().Be(2);
        inner.CallCount.Should().Be(2);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public void ClassifiesHttpStatusesAsTransientOrNot(int status, bool transient) =>
        ResilientChatClient.IsTransient(new HttpRequestException("x", null, (HttpStatusCode)status), CancellationToken.None).Should().Be(transient);

    [Fact]
    public void NeverTreatsAFailureAsTransientOnceTheCallerHasCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        ResilientChatClient.IsTransient(new TimeoutRejectedException(), cts.Token).Should().BeFalse();
    }

    [Fact]
    public void TreatsAMalformedBodyAsPermanent() =>
        ResilientChatClient.IsTransient(new System.Text.Json.JsonException("bad"), CancellationToken.None).Should().BeFalse();
}
