using System.Text.Json;
using EvalLoop.Core.Goals;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Scorer;
using EvalLoop.Suggestions.Verification;
using EvalLoop.TestUtilities;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// With a real model (the loopback OpenAI-compatible server), an uncovered goal requirement no deterministic check fits
/// gets an llm-rubric scorer written from it, and verification grades the stored outputs through the judge.
/// </summary>
public sealed class GoalCoverageLlmTests : IAsyncLifetime
{
    private const string GoalPath = "experiments/goals/tickets-goal.yaml";
    private LoopbackOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ProposesAnLlmRubricFromTheRequirementAndGradesTheStoredOutputsThroughTheJudge()
    {
        // Arrange: the task model answers "bug" to everything; the judge calls every "bug" impolite.
        _server.Responder = request => request.LastUserMessage.Contains("You are grading a submitted answer against a rubric", StringComparison.Ordinal)
            ? JsonSerializer.Serialize(new { reasoning = "tone", choice = request.LastUserMessage.Contains("[Submission]: bug\n", StringComparison.Ordinal) ? "N" : "Y" })
            : "bug";
        var files = TicketsWorkspace.Files("Classify the support ticket. Answer with exactly one of:\n- billing\n- bug\n- feature_request\n");
        files["experiments/tickets.yaml"] = files["experiments/tickets.yaml"]
            .Replace("name: tickets\n", "name: tickets\ngoal: tickets-goal\n", StringComparison.Ordinal)
            .Replace("  provider: offline", $"  provider: openai\n  name: loopback-model\n  base_url: {_server.OpenAiBaseUrl}", StringComparison.Ordinal);
        files[GoalPath] = "name: tickets-goal\ndescription: \"Polite routing.\"\nexperiments: [tickets]\nrequirements:\n  - id: polite\n    text: \"the answer is polite to the customer\"\n";
        using var harness = SuggestionHarness.With(files, [new GoalCoverageStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        var change = SuggestionJson.Deserialize<ScorerChange>(suggestion.ChangeJson);
        change.ScorerType.Should().Be("llm-rubric");
        change.OptionsAfter!["rubric"]!.GetValue<string>().Should().Be("The response satisfies this requirement: the answer is polite to the customer");
        var evidence = SuggestionJson.Deserialize<ScorerEvidence>(suggestion.EvidenceJson!);
        foreach (var run in evidence.Runs)
        {
            var passingBugs = new List<string>();
            await foreach (var result in harness.Runs.ReadAsync(run.RunId))
            {
                if (result.Passed)
                {
                    passingBugs.Add(result.CaseId);
                }
            }

            passingBugs.Should().NotBeEmpty();
            run.Flips.Select(f => f.CaseId).Should().BeEquivalentTo(passingBugs, "the judge fails every 'bug' answer, so every passing case flips");
            run.PassRateAfter.Should().Be(0);
        }

        _server.Requests.Should().Contain(r => r.Body.Contains("the answer is polite to the customer", StringComparison.Ordinal));

        // Approval writes the inline scorer (its judge is the experiment's model) and the coverage.
        await harness.Approver.ApproveAsync(suggestion.Id, "reviewer");
        (await harness.Experiments.LoadAsync(harness.File("experiments/tickets.yaml"))).Scorers.Select(s => s.Type).Should().Equal("exact-match", "llm-rubric");
        (await new GoalLoader(harness.Layout).LoadAsync("tickets-goal")).Requirements.Single().CoveredBy.Single().Scorer.Should().Be("polite");
    }
}
