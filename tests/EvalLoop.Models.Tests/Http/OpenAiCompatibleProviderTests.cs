using System.Diagnostics;
using EvalLoop.Core.Models;
using EvalLoop.TestUtilities;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Http;

public sealed class OpenAiCompatibleProviderTests : LoopbackTestBase
{
    [Fact]
    public async Task ReturnsTheServersTextAndMapsUsage()
    {
        Server.Responder = request => new LoopbackChatAnswer("Paris", PromptTokens: 12, CompletionTokens: 3);
        using var client = CreateClient(OpenAiSettings());

        var response = await client.GetResponseAsync(Prompt("Capital of France?"));

        response.Text.Should().Be("Paris");
        response.ModelId.Should().Be("gpt-4o-mini");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.Usage!.InputTokenCount.Should().Be(12);
        response.Usage.OutputTokenCount.Should().Be(3);
        response.Usage.TotalTokenCount.Should().Be(15);
        response.AdditionalProperties![ChatResponseAnnotations.Attempts].Should().Be(1);
        Server.Requests.Should().ContainSingle().Which.Path.Should().Be("/v1/chat/completions");
    }

    [Fact]
    public async Task SendsTemperatureMaxTokensAndModelFromTheSettings()
    {
        LoopbackChatRequest? seen = null;
        Server.Responder = request =>
        {
            seen = request;
            return "ok";
        };
        using var client = CreateClient(OpenAiSettings() with { Temperature = 0.25, MaxTokens = 42 });

        await client.GetResponseAsync(Prompt("hi"));

        seen!.Model.Should().Be("gpt-4o-mini");
        seen.Temperature.Should().BeApproximately(0.25, 1e-6);
        seen.MaxTokens.Should().Be(42);
    }

    [Fact]
    public async Task LetsACallsOwnOptionsOverrideTheSettings()
    {
        LoopbackChatRequest? seen = null;
        Server.Responder = request =>
        {
            seen = request;
            return "ok";
        };
        using var client = CreateClient(OpenAiSettings() with { Temperature = 0.25 });

        await client.GetResponseAsync(Prompt("hi"), new ChatOptions { Temperature = 0.9f });

        seen!.Temperature.Should().BeApproximately(0.9, 1e-6);
    }

    [Fact]
    public async Task WaitsForTheRetryAfterOfA429ThenSucceeds()
    {
        Server.EnqueueFault(LoopbackFault.TooManyRequests(retryAfterSeconds: 1));
        using var client = CreateClient(OpenAiSettings());

        var response = await client.GetResponseAsync(Prompt("hello"));

        response.Text.Should().Be("hello");
        response.AdditionalProperties![ChatResponseAnnotations.Attempts].Should().Be(2);
        Server.RequestCount.Should().Be(2);
        Clock.DueTimes.Should().Contain(TimeSpan.FromSeconds(1), "the server asked for Retry-After: 1")
            .And.NotContain(wait => wait > TimeSpan.FromMilliseconds(100) && wait < TimeSpan.FromSeconds(1), "the 20 ms backoff is not used instead");
        // The wait really happened (a timer may fire a tick early, hence the margin).
        var requests = Server.Requests;
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task WaitsForARetryAfterGivenAsAnHttpDate()
    {
        Server.EnqueueFault(LoopbackFault.TooManyRequestsUntil(DateTimeOffset.UtcNow.AddSeconds(2)));
        using var client = CreateClient(OpenAiSettings());

        await client.GetResponseAsync(Prompt("hello"));

        // HTTP dates have whole-second precision, so the wait asked for is between 1 and 2 seconds.
        Server.RequestCount.Should().Be(2);
        Clock.DueTimes.Should().ContainSingle(wait => wait > TimeSpan.FromMilliseconds(900) && wait <= TimeSpan.FromSeconds(2));
        var requests = Server.Requests;
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().BeGreaterThan(TimeSpan.FromMilliseconds(800));
    }

    [Fact]
    public async Task RetriesAServerErrorThenSucceeds()
    {
        Server.EnqueueFault(LoopbackFault.ServerError());
        using var client = CreateClient(OpenAiSettings());

        var response = await client.GetResponseAsync(Prompt("again"));

        response.Text.Should().Be("again");
        response.AdditionalProperties![ChatResponseAnnotations.Attempts].Should().Be(2);
        Server.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task RetriesAServiceUnavailableThenSucceeds()
    {
        Server.EnqueueFaults(LoopbackFault.ServiceUnavailable(), LoopbackFault.Status(502));
        using var client = CreateClient(OpenAiSettings());

        var response = await client.GetResponseAsync(Prompt("again"));

        response.AdditionalProperties![ChatResponseAnnotations.Attempts].Should().Be(3);
        Server.RequestCount.Should().Be(3);
    }

    [Fact]
    public async Task ThrowsTheLastErrorWhenRetriesAreExhausted()
    {
        Server.EnqueueFaults(LoopbackFault.ServerError(), LoopbackFault.ServerError(), LoopbackFault.ServerError(), LoopbackFault.ServerError());
        using var client = CreateClient(OpenAiSettings() with { MaxRetries = 2 });

        var act = () => client.GetResponseAsync(Prompt("doomed"));

        var thrown = await act.Should().ThrowAsync<System.ClientModel.ClientResultException>();
        thrown.Which.Status.Should().Be(500);
        thrown.Which.Data[ChatResponseAnnotations.Attempts].Should().Be(3);
        Server.RequestCount.Should().Be(3);
    }

    [Fact]
    public async Task LeavesRetriesToTheWrapperAndNotToTheOpenAiSdk()
    {
        Server.EnqueueFaults(LoopbackFault.ServerError(), LoopbackFault.TooManyRequests(0));
        using var client = CreateClient(OpenAiSettings() with { MaxRetries = 0 });

        var act = () => client.GetResponseAsync(Prompt("once"));

        await act.Should().ThrowAsync<System.ClientModel.ClientResultException>();
        Server.RequestCount.Should().Be(1, "the SDK's own retry policy is switched off");
    }

    [Fact]
    public async Task DoesNotRetryAnUnauthorizedResponse()
    {
        Server.EnqueueFault(LoopbackFault.Unauthorized());
        using var client = CreateClient(OpenAiSettings());

        var act = () => client.GetResponseAsync(Prompt("let me in"));

        var thrown = await act.Should().ThrowAsync<System.ClientModel.ClientResultException>();
        thrown.Which.Status.Should().Be(401);
        Server.RequestCount.Should().Be(1);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    public async Task DoesNotRetryOtherClientErrors(int status)
    {
        Server.EnqueueFault(LoopbackFault.Status(status));
        using var client = CreateClient(OpenAiSettings());

        var act = () => client.GetResponseAsync(Prompt("bad"));

        (await act.Should().ThrowAsync<System.ClientModel.ClientResultException>()).Which.Status.Should().Be(status);
        Server.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task FailsOnAMalformedBodyWithoutRetrying()
    {
        Server.EnqueueFault(LoopbackFault.MalformedBody());
        using var client = CreateClient(OpenAiSettings());

        var act = () => client.GetResponseAsync(Prompt("parse me"));

        // The SDK surfaces the parse failure as a JsonException, which is not a transient failure.
        await act.Should().ThrowAsync<System.Text.Json.JsonException>();
        Server.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task RetriesASlowResponseThenThrowsATimeoutException()
    {
        // A 1 s attempt timeout leaves room for the second request to reach the server even on a loaded 2-core CI box.
        using var client = CreateClient(OpenAiSettings() with { Timeout = TimeSpan.FromSeconds(1), MaxRetries = 1 });
        await WarmUpAsync(client);
        Server.EnqueueFaults(LoopbackFault.Slow(TimeSpan.FromSeconds(30)), LoopbackFault.Slow(TimeSpan.FromSeconds(30)));
        var stopwatch = Stopwatch.StartNew();

        var act = () => client.GetResponseAsync(Prompt("slow"));

        var thrown = await act.Should().ThrowAsync<TimeoutException>();
        stopwatch.Stop();
        thrown.Which.Message.Should().Contain("gpt-4o-mini").And.Contain("timeout").And.Contain("2 attempt");
        thrown.Which.InnerException.Should().BeOfType<Polly.Timeout.TimeoutRejectedException>();
        Server.RequestCount.Should().Be(2);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "two 1 s attempts and a short backoff, not the 30 s responses");
    }

    [Fact]
    public async Task RecoversWhenOnlyTheFirstAttemptIsSlow()
    {
        using var client = CreateClient(OpenAiSettings() with { Timeout = TimeSpan.FromMilliseconds(300), MaxRetries = 1 });
        await WarmUpAsync(client);
        Server.EnqueueFault(LoopbackFault.Slow(TimeSpan.FromSeconds(5)));

        var response = await client.GetResponseAsync(Prompt("eventually"));

        response.Text.Should().Be("eventually");
        response.AdditionalProperties![ChatResponseAnnotations.Attempts].Should().Be(2);
    }

    [Fact]
    public async Task PropagatesCallerCancellationPromptly()
    {
        using var client = CreateClient(OpenAiSettings() with { MaxRetries = 3 });
        await WarmUpAsync(client);
        Server.Latency = TimeSpan.FromSeconds(5);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var stopwatch = Stopwatch.StartNew();

        var act = () => client.GetResponseAsync(Prompt("never mind"), cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        Server.RequestCount.Should().Be(1, "a cancelled call is not retried");
    }

    [Fact]
    public async Task SendsTheKeyAsABearerTokenForOpenAi()
    {
        using var client = CreateClient(OpenAiSettings());

        await client.GetResponseAsync(Prompt("auth"));

        var request = Server.Requests.Should().ContainSingle().Subject;
        request.Header("Authorization").Should().Be("Bearer " + SecretKey);
        request.Header("api-key").Should().BeNull();
    }

    [Fact]
    public async Task SendsTheKeyInTheApiKeyHeaderForAzureOpenAi()
    {
        using var client = CreateClient(AzureSettings());

        var response = await client.GetResponseAsync(Prompt("azure"));

        response.Text.Should().Be("azure");
        var request = Server.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be("/openai/v1/chat/completions");
        request.Header("api-key").Should().Be(SecretKey);
        request.Header("Authorization").Should().BeNull();
        request.Body.Should().Contain("\"model\":\"my-gpt-4o-mini\"");
    }

    [Fact]
    public async Task AddsTheApiVersionForAzureOpenAiWhenOneIsSet()
    {
        using var client = CreateClient(AzureSettings() with { ApiVersion = "preview" });

        await client.GetResponseAsync(Prompt("versioned"));

        Server.Requests.Should().ContainSingle().Which.QueryString.Should().Be("?api-version=preview");
    }

    [Fact]
    public async Task WorksWithoutAKeyAgainstALocalServer()
    {
        using var client = CreateClient(OpenAiSettings() with { ApiKeyEnv = "EVALLOOP_TEST_UNSET_KEY" });

        var response = await client.GetResponseAsync(Prompt("ollama style"));

        response.Text.Should().Be("ollama style");
        Server.Requests.Should().ContainSingle().Which.Header("Authorization").Should().StartWith("Bearer ");
    }

    [Fact]
    public async Task NeverPutsTheKeyIntoExceptionMessages()
    {
        Server.EnqueueFaults(LoopbackFault.Unauthorized(), LoopbackFault.Status(400));
        using var openAi = CreateClient(OpenAiSettings());
        using var azure = CreateClient(AzureSettings());

        var unauthorized = await Record(() => openAi.GetResponseAsync(Prompt("a")));
        var badRequest = await Record(() => azure.GetResponseAsync(Prompt("b")));

        unauthorized.ToString().Should().NotContain(SecretKey);
        badRequest.ToString().Should().NotContain(SecretKey);
        foreach (var exception in new[] { unauthorized, badRequest })
        {
            foreach (var value in exception.Data.Values)
            {
                value?.ToString().Should().NotContain(SecretKey);
            }
        }

        static async Task<Exception> Record(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (Exception ex)
            {
                return ex;
            }

            throw new InvalidOperationException("The call was expected to fail.");
        }
    }

    [Fact]
    public async Task PassesStreamingThrough()
    {
        using var client = CreateClient(OpenAiSettings());

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt("streamed")))
        {
            updates.Add(update);
        }

        updates.ToChatResponse().Text.Should().Be("streamed");
    }
}
