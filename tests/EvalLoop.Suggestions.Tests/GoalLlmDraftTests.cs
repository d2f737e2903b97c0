using EvalLoop.Core.Goals;
using EvalLoop.Core.Models;
using EvalLoop.Suggestions.Goals;
using EvalLoop.TestUtilities;

namespace EvalLoop.Suggestions.Tests;

public sealed class GoalLlmDraftTests : IAsyncLifetime
{
    private const string Plan = """
        ```json
        {"requirements": [
          {"id": "right-intent", "text": "routes each message to the right intent", "target": 0.85, "scorer": {"type": "exact-match", "options": {}}, "slice": null},
          {"id": "card-arrival", "text": "card arrival questions reach card_arrival", "target": 0.9, "scorer": {"type": "exact-match"}, "slice": {"label": "card_arrival"}},
          {"id": "polite", "text": "never rude to the customer", "target": null, "scorer": {"type": "llm-rubric", "options": {"rubric": "The answer is polite."}}, "slice": null},
          {"id": "no-account-numbers", "text": "never reveals an account number", "target": null, "scorer": null, "slice": null}
        ]}
        ```
        """;

    private LoopbackOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmGoalDrafter Drafter(SuggestionHarness harness)
    {
        var model = new ModelSettings { Provider = ModelProviders.OpenAi, Name = "loopback-model", BaseUrl = _server.OpenAiBaseUrl, Temperature = 0 };
        return new LlmGoalDrafter(harness.ChatClients.Create(model, new ChatClientCreationOptions { UseCache = false }), model, harness.Layout, harness.Scorers.KnownTypes);
    }

    [Fact]
    public async Task TurnsTheModelsScriptedPlanIntoAGoalWithScorersTargetsAndSlices()
    {
        // Arrange
        _server.Responder = _ => Plan;
        using var harness = SuggestionHarness.Sample();

        // Act
        var draft = await Drafter(harness).DraftAsync("routing", "Route messages right, 85%; be polite; never reveal account numbers", "banking77");

        // Assert
        _server.Requests.Should().ContainSingle().Which.Body.Should().Contain("Route messages right, 85%").And.Contain("77 labels");
        draft.Source.Should().Be("model openai/loopback-model");
        draft.Files.Select(f => f.Path).Should().Equal("experiments/goals/routing.yaml", "experiments/routing.yaml");
        draft.Uncovered.Should().Equal("no-account-numbers");
        var goal = GoalLoader.Parse(harness.File(draft.Files[0].Path), draft.Files[0].Content);
        goal.Requirements.Select(r => r.Target).Should().Equal([0.85, null, null, null], "the model's 0.9 for card arrival is not in the description, so it is dropped, never invented");
        goal.Requirements[1].CoveredBy.Single().Slice.Should().ContainKey("label").WhoseValue.Should().Be("card_arrival");
        goal.Requirements[2].CoveredBy.Single().Scorer.Should().Be("polite-llm-rubric");
        foreach (var file in draft.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(harness.File(file.Path))!);
            await File.WriteAllTextAsync(harness.File(file.Path), file.Content);
        }

        (await harness.Experiments.LoadAsync("routing")).Scorers.Select(s => s.Name).Should().Equal("exact-match", "polite-llm-rubric");
        draft.Files[1].Content.Should().Contain("\"type\":\"llm-rubric\"").And.Contain("provider: openai").And.Contain("targets: { exact-match: 0.85 }");
    }

    [Theory]
    [InlineData("Sure! Here is a plan: check accuracy.", "not JSON")]
    [InlineData("""{"plan": []}""", "no \"requirements\"")]
    [InlineData("""{"requirements": [{"id": "a", "text": "t", "scorer": {"type": "vibes"}}]}""", "not a known scorer type")]
    [InlineData("""{"requirements": [{"id": "a", "text": "t", "target": "high"}]}""", "target")]
    public async Task AMalformedReplyIsAFormatErrorNamingWhatIsWrong(string reply, string problem)
    {
        // Arrange
        _server.Responder = _ => reply;
        using var harness = SuggestionHarness.Sample();

        // Act
        var act = () => Drafter(harness).DraftAsync("routing", "accuracy >= 0.85", "banking77");

        // Assert
        (await act.Should().ThrowAsync<FormatException>()).Which.Message.Should().Contain(problem);
    }
}
