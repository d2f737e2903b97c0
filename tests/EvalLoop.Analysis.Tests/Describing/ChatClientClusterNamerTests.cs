using EvalLoop.Analysis.Describing;
using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Analysis;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;

namespace EvalLoop.Analysis.Tests.Describing;

public sealed class ChatClientClusterNamerTests
{
    private static readonly FailureCluster Cluster = new(
        "run-1-c0", 0, "card_arrival \u2192 card_delivery_estimate", "expected card_arrival, answered card_delivery_estimate (4 of 4).", 0.5,
        [new ClusterMember("c1"), new ClusterMember("c2")], [new ClusterMember("c1")], FailureKinds.Confusion,
        [new ScorerFailure("intent-match", 2, 0)], [new ConfusionPair("card_arrival", "card_delivery_estimate", 2)], ["card", "arrived"]);

    private static readonly FailureCase[] Representatives =
    [
        new("c1", 1, 0, "My card has not arrived yet", "card_arrival", "card_delivery_estimate", null, null, [], FailureKinds.Confusion, "card_delivery_estimate"),
    ];

    [Fact]
    public async Task UsesTheModelsNameAndDescriptionGroundedInTheClustersCases()
    {
        var client = new CallbackChatClient("""Here you go: {"name": "Late-card questions routed to delivery estimates", "description": "Customers whose card is late are told how long delivery takes."}""");

        var name = await new ChatClientClusterNamer(client).NameAsync(Cluster, Representatives);

        name.Should().Be(new ClusterName("Late-card questions routed to delivery estimates", "Customers whose card is late are told how long delivery takes."));
        var prompt = string.Join("\n", client.Calls.Single().Messages.Select(m => m.Text));
        prompt.Should().Contain("My card has not arrived yet").And.Contain("card_arrival -> card_delivery_estimate x2").And.Contain("card, arrived");
    }

    [Theory]
    [InlineData("card confusion")]
    [InlineData("{\"name\": \"\", \"description\": \"x\"}")]
    [InlineData("{\"name\": 3}")]
    [InlineData("{not json}")]
    public async Task KeepsTheHeuristicNameWhenTheAnswerIsNotUsable(string answer)
    {
        var name = await new ChatClientClusterNamer(new CallbackChatClient(answer)).NameAsync(Cluster, Representatives);

        name.Should().BeNull();
    }

    [Fact]
    public async Task KeepsTheHeuristicNameWhenTheModelCallFails()
    {
        var client = new CallbackChatClient((_, _, _) => Task.FromException<ChatResponse>(new HttpRequestException("boom")));

        var name = await new ChatClientClusterNamer(client).NameAsync(Cluster, Representatives);

        name.Should().BeNull();
    }

    [Fact]
    public async Task TheAnalyzerMarksModelWrittenNames()
    {
        var fixture = await FailureAnalyzerTests.PlantedRunAsync(seed: 2);
        var client = new CallbackChatClient("""{"name": "A pattern", "description": "What it is."}""");

        var analysis = await fixture.Analyzer(namer: new ChatClientClusterNamer(client)).AnalyzeAsync(fixture.RunId);

        analysis.Clusters.Should().OnlyContain(c => c.NamedBy == "llm" && c.Description == "What it is.");
        client.CallCount.Should().Be(analysis.Clusters.Count);
    }
}
