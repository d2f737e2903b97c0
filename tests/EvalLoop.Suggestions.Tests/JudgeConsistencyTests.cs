using System.Collections.Concurrent;
using System.Text.Json;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Scorer;
using EvalLoop.Suggestions.Verification;
using EvalLoop.TestUtilities;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// An LLM judge graded across two trials against the loopback OpenAI-compatible server: the task model answers each
/// ticket once in lower case and once capitalised, and the scripted judge fails the capitalised "Bug" (but not "bug")
/// unless its rubric says surface differences never matter.
/// </summary>
public sealed class JudgeConsistencyTests : IAsyncLifetime
{
    private const string Rubric = "The answer names the right support category for the ticket.";
    private LoopbackOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task FlagsAJudgeThatGradesTheSameAnswerBothWaysAndVerifiesATightenedRubricThroughTheJudge()
    {
        // Arrange
        using var harness = Harness(flakyJudge: true);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        suggestion.Kind.Should().Be(SuggestionKinds.Scorer);
        var change = SuggestionJson.Deserialize<ScorerChange>(suggestion.ChangeJson);
        var evidence = SuggestionJson.Deserialize<ScorerEvidence>(suggestion.EvidenceJson!);
        change.Strategy.Should().Be("judge-consistency");
        change.ScorerName.Should().Be("judge");
        change.FilePath.Should().Be("scorers/judge.yaml");
        var rubric = change.OptionsAfter!["rubric"]!.GetValue<string>();
        rubric.Should().StartWith(Rubric).And.Contain("Differences in letter case, whitespace or punctuation never change the grade").And.Contain("\"Bug\" for \"");

        var bugCases = TicketsWorkspace.Cases().Where(c => c.Expected == "bug").Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        evidence.Consistency.Should().ContainSingle("the analysis run's outputs are re-scored; the requested run is on the held-out split, which the suggester never reads")
            .Which.RunId.Should().Be(outcome.AnalysisRun.Id);
        foreach (var run in evidence.Consistency)
        {
            var graded = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var result in harness.Runs.ReadAsync(run.RunId))
            {
                graded.Add(result.CaseId);
            }

            var expectedFlips = graded.Where(bugCases.Contains).Order(StringComparer.Ordinal).ToList();
            expectedFlips.Should().NotBeEmpty();
            run.Before.Flips.Select(f => f.CaseId).Should().Equal(expectedFlips, "exactly the bug tickets were graded both ways");
            run.Before.Flips.Should().OnlyContain(f => f.Trials == 2 && f.Passed == 1);
            run.Before.ComparedCases.Should().Be(graded.Count);
            run.Before.PairwiseAgreement.Should().BeApproximately(1 - ((double)expectedFlips.Count / graded.Count), 1e-9);
            run.After.FlippingCases.Should().Be(0);
            run.After.PairwiseAgreement.Should().Be(1);
        }

        suggestion.Summary.Should().Contain("flip").And.Contain(evidence.Consistency[0].Before.Flips[0].CaseId);
        var regraded = _server.Requests.Count(r => r.Body.Contains("Grade consistently", StringComparison.Ordinal));
        regraded.Should().BeGreaterThan(0, "verification re-grades the stored outputs through the real judge path");
        evidence.Runs.SelectMany(r => r.Flips).Should().OnlyContain(f => !f.PassedBefore && f.PassedAfter && f.Output == "Bug");
    }

    [Fact]
    public async Task AStableJudgeProducesNoSuggestion()
    {
        // Arrange
        using var harness = Harness(flakyJudge: false);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        outcome.Created.Should().BeEmpty();
        outcome.Notes.Should().NotContain(n => n.Contains("disagrees with itself", StringComparison.Ordinal));
        _server.Requests.Should().Contain(r => r.Body.Contains("You are grading a submitted answer", StringComparison.Ordinal), "the judge did grade every trial");
    }

    private SuggestionHarness Harness(bool flakyJudge)
    {
        var expected = TicketsWorkspace.Cases().ToDictionary(c => c.Input, c => c.Expected);
        var calls = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        _server.Responder = request =>
        {
            var user = request.LastUserMessage;
            if (user.Contains("You are grading a submitted answer against a rubric", StringComparison.Ordinal))
            {
                var submission = Between(user, "[Submission]: ", "\n");
                var task = Between(user, "[Task]: ", "\n");
                var fails = flakyJudge && !user.Contains("Grade consistently", StringComparison.Ordinal)
                    && submission == "Bug" && expected.GetValueOrDefault(task) == "bug";
                return JsonSerializer.Serialize(new { reasoning = "checked the category", choice = fails ? "N" : "Y" });
            }

            // The task: the right label, in lower case on the first call for an input and capitalised on the second.
            var label = expected.GetValueOrDefault(user, "bug");
            return calls.AddOrUpdate(user, 1, (_, n) => n + 1) % 2 == 1 ? label : char.ToUpperInvariant(label[0]) + label[1..];
        };

        var files = TicketsWorkspace.Files("Classify the support ticket. Answer with exactly one of:\n- billing\n- bug\n- feature_request\n", scorers: "[label-match, judge]");
        files["experiments/tickets.yaml"] = files["experiments/tickets.yaml"]
            .Replace("  provider: offline", $"  provider: openai\n  name: loopback-model\n  base_url: {_server.OpenAiBaseUrl}", StringComparison.Ordinal)
            .Replace("concurrency: 4", "concurrency: 4\ntrials: 2", StringComparison.Ordinal);
        files["scorers/judge.yaml"] = $"# An LLM judge.\ntype: llm-rubric\noptions:\n  rubric: \"{Rubric}\"\n";
        return SuggestionHarness.With(files, [new JudgeConsistencyStrategy()]);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return string.Empty;
        }

        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? text[from..] : text[from..to];
    }
}
