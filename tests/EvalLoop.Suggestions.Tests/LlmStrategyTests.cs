using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Prompt;
using EvalLoop.Suggestions.Verification;
using EvalLoop.TestUtilities;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// The LLM strategy against the loopback OpenAI-compatible server: scripted critiques and rewrites (one of them
/// malformed), and a task model that answers well only with the rewritten prompt, so verification has a real effect
/// to measure.
/// </summary>
public sealed class LlmStrategyTests : IAsyncLifetime
{
    private const string Improved = "IMPROVED: billing is about charges and invoices, bug about crashes and errors, feature_request about new options.";
    private LoopbackOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CritiqueThenRewriteProposesAVerifiedPromptAndDropsAMalformedRewriteWithANote()
    {
        // Arrange
        var expected = TicketsWorkspace.Cases().ToDictionary(c => c.Input, c => c.Expected);
        var rewrites = 0;
        _server.Responder = request =>
        {
            var user = request.LastUserMessage;
            if (user.Contains("Do not rewrite the prompt.", StringComparison.Ordinal))
            {
                return "- The prompt never says what each label covers, so every ticket is answered 'bug'.";
            }

            if (user.Contains("Reply with a single JSON object and nothing else", StringComparison.Ordinal))
            {
                // The first rewrite is prose, not the JSON asked for; the next ones are well-formed.
                return Interlocked.Increment(ref rewrites) == 1
                    ? "Sure! I would tell the model to be more careful."
                    : $$$"""{"system": "{{{Improved}}}\n- billing\n- bug\n- feature_request", "user": "{{input}}"}""";
            }

            var system = request.Messages.FirstOrDefault(m => m.Role == "system")?.Content ?? string.Empty;
            return system.StartsWith("IMPROVED", StringComparison.Ordinal) && expected.TryGetValue(user, out var label) ? label : "bug";
        };
        var files = TicketsWorkspace.Files("Classify the support ticket. Answer with exactly one of:\n- billing\n- bug\n- feature_request\n");
        files["experiments/tickets.yaml"] = files["experiments/tickets.yaml"].Replace("  provider: offline", $"  provider: openai\n  name: loopback-model\n  base_url: {_server.OpenAiBaseUrl}", StringComparison.Ordinal);
        using var harness = SuggestionHarness.With(files, [new CritiqueRewriteStrategy()], new SuggesterOptions { LlmCandidates = 3 });
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        rewrites.Should().BeGreaterThanOrEqualTo(2, "one rewrite per cluster; the failures form at least two patterns");
        outcome.Notes.Should().Contain(n => n.Contains("llm-rewrite", StringComparison.Ordinal) && n.Contains("could not be used", StringComparison.Ordinal));
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        suggestion.Kind.Should().Be(SuggestionKinds.Prompt);
        var change = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson);
        var evidence = SuggestionJson.Deserialize<PromptEvidence>(suggestion.EvidenceJson!);
        change.Strategy.Should().Be("llm-rewrite");
        change.Proposed.System.Should().StartWith("IMPROVED");
        change.Proposed.User.Should().Be("{{input}}");
        evidence.Verdict.Should().Be(Verdicts.Significant);
        evidence.CandidatePassRate.Should().Be(1);
        suggestion.Summary.Should().Contain("every ticket is answered 'bug'", "the critique is shown to the reviewer");

        // The cases shown to the model are recorded and none of them is verified on.
        var critiques = _server.Requests.Where(r => r.Body.Contains("Do not rewrite the prompt.", StringComparison.Ordinal)).ToList();
        critiques.Should().NotBeEmpty();
        change.Provenance.SourceCaseIds.Should().NotBeEmpty();
        var verified = new List<string>();
        await foreach (var result in harness.Runs.ReadAsync(evidence.CandidateRunId))
        {
            verified.Add(result.CaseId);
        }

        verified.Should().NotIntersectWith(change.Provenance.AllCaseIds());
        foreach (var id in change.Provenance.SourceCaseIds)
        {
            var input = TicketsWorkspace.Cases().Single(c => c.Id == id).Input;
            critiques.Should().Contain(r => r.Body.Contains(input, StringComparison.Ordinal), "a case shown to the model is a source case");
        }
    }

    [Fact]
    public async Task TheOfflineModelNeverGetsTheLlmStrategy()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files("Answer with exactly one of:\n- billing\n- bug\n- feature_request\n"), [new CritiqueRewriteStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        outcome.Created.Should().BeEmpty();
        _server.RequestCount.Should().Be(0);
    }
}
