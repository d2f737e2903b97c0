using EvalLoop.Core.Models;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Wrappers;

public sealed class EvalLoopRequestOptionsTests : LoopbackTestBase
{
    [Fact]
    public async Task TrialsAreCachedSeparatelyAndTheTrialOptionNeverReachesTheProvider()
    {
        var client = CreateClient(OpenAiSettings(), useCache: true);
        ChatOptions Trial(int n) => new() { AdditionalProperties = new() { [ChatResponseAnnotations.TrialOption] = n } };

        var first = await client.GetResponseAsync(Prompt("same question"), Trial(1));
        var second = await client.GetResponseAsync(Prompt("same question"), Trial(2));
        var firstAgain = await client.GetResponseAsync(Prompt("same question"), Trial(1));

        Server.RequestCount.Should().Be(2, "each trial is its own call; a repeated trial is a cache hit");
        first.IsCacheHit().Should().BeFalse();
        second.IsCacheHit().Should().BeFalse();
        firstAgain.IsCacheHit().Should().BeTrue();
        Server.Requests.Should().OnlyContain(r => !r.Body.Contains("evalloop", StringComparison.Ordinal));
    }
}
