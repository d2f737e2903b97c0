using System.Text.Json;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies;
using EvalLoop.Suggestions.Strategies.Dataset;
using EvalLoop.Suggestions.Strategies.Prompt;
using EvalLoop.Suggestions.Strategies.Scorer;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Tests;

/// <summary>Each offline strategy on the crafted tickets workspace, through the whole suggester (runs, analysis, verification).</summary>
public sealed class OfflineStrategyTests
{
    private const string LabelList = "Classify the support ticket. Answer with exactly one of:\n- billing\n- bug\n- feature_request\n";

    [Fact]
    public async Task FewShotExamplesFromTrainRaiseAccuracyOnTheVerificationHalf()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new FewShotExamplesStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        var change = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson);
        var evidence = SuggestionJson.Deserialize<PromptEvidence>(suggestion.EvidenceJson!);
        var because = $"{evidence.BaselinePassRate:P0} -> {evidence.CandidatePassRate:P0}, p={evidence.McNemar.PValue}";
        change.Strategy.Should().Be("few-shot");
        change.Provenance.SourceCaseIds.Should().NotBeEmpty().And.OnlyContain(id => id.StartsWith("t-train-", StringComparison.Ordinal));
        change.Proposed.System.Should().Contain("Examples:").And.Contain("Input: ").And.Contain("Output: billing");
        evidence.Verdict.Should().Be(Verdicts.Significant, because);
        evidence.Delta.Should().BeGreaterThan(0.2, because);
    }

    [Fact]
    public async Task NeverUsesATrainCaseThatDuplicatesAnEvaluatedInputAsAnExample()
    {
        // Arrange: a train case repeating a held-out test input (the answer would leak into the prompt).
        var cases = TicketsWorkspace.Cases();
        var test = cases.First(c => c.Split == "test");
        cases.Add(("t-train-900", test.Input + ".", test.Expected, "train"));
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList, cases), [new FewShotExamplesStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var change = SuggestionJson.Deserialize<PromptChange>(outcome.Created.Single().ChangeJson);
        change.Provenance.SourceCaseIds.Should().NotContain("t-train-900");
        change.Proposed.System.Should().NotContain(test.Input);
        outcome.Notes.Should().Contain(n => n.StartsWith("1 'train' case(s) are never used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatesTheAllowedAnswersWhenThePromptListsLabelsTheDataDoesNotUse()
    {
        // Arrange: the prompt's labels are not the data's, so every answer is outside the allowed set.
        const string wrongLabels = "Classify the support ticket. Answer with exactly one of:\n- Billing problem\n- Software bug\n- Feature idea\n";
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(wrongLabels), [new FewShotExamplesStrategy(), new AllowedAnswersStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle(s => s.Kind == SuggestionKinds.Prompt).Subject;
        var change = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson);
        var evidence = SuggestionJson.Deserialize<PromptEvidence>(suggestion.EvidenceJson!);
        change.Strategy.Should().Be("allowed-answers", "with the wrong label list, examples of the right labels are ignored by the model");
        change.Proposed.System.Should().Contain("- billing\n- bug\n- feature_request").And.NotContain("Billing problem").And.Contain(AllowedAnswersStrategy.FormatInstruction);
        evidence.BaselinePassRate.Should().Be(0);
        evidence.Verdict.Should().Be(Verdicts.Significant);
        evidence.Alternatives.Should().ContainSingle(a => a.Strategy == "few-shot");
    }

    [Fact]
    public async Task ProposesANormalisedMatchAndListsEveryFlippedCaseWithoutCallingTheModel()
    {
        // Arrange: the prompt's labels are capitalised, and the inline exact-match scorer is case-sensitive.
        const string capitalised = "Classify the support ticket. Answer with exactly one of:\n- Billing\n- Bug\n- Feature_request\n";
        var files = TicketsWorkspace.Files(capitalised, scorers: "[exact-match]");
        using var harness = SuggestionHarness.With(files, [new NormalizedMatchStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var resultsBefore = await CountResultsAsync(harness);
        var cases = TicketsWorkspace.Cases().ToDictionary(c => c.Id, c => c.Expected);

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        suggestion.Kind.Should().Be(SuggestionKinds.Scorer);
        var change = SuggestionJson.Deserialize<ScorerChange>(suggestion.ChangeJson);
        var evidence = SuggestionJson.Deserialize<ScorerEvidence>(suggestion.EvidenceJson!);
        change.Inline.Should().BeTrue();
        change.OptionsAfter!["case_sensitive"]!.GetValue<bool>().Should().BeFalse();
        change.OptionsAfter.ContainsKey("ignore_punctuation").Should().BeFalse("case alone explains the failures");
        evidence.Runs.Should().ContainSingle("the requested run is on the held-out split, which is never read; no verification baseline is run for a scorer")
            .Which.RunId.Should().Be(outcome.AnalysisRun.Id);
        foreach (var run in evidence.Runs)
        {
            var caseOnly = 0;
            await foreach (var result in harness.Runs.ReadAsync(run.RunId))
            {
                caseOnly += string.Equals(result.Output, cases[result.CaseId], StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            }

            run.Flips.Should().HaveCount(caseOnly, "every answer right up to letter case flips, and nothing else").And.NotBeEmpty();
            run.Flips.Should().OnlyContain(f => !f.PassedBefore && f.PassedAfter && string.Equals(f.Output, f.Expected, StringComparison.OrdinalIgnoreCase));
        }

        (await CountResultsAsync(harness) - resultsBefore).Should().Be(evidence.Runs.Sum(r => r.Results), "only the analysis run ran the model; re-scoring calls nothing");

        // Approving writes the scorer into the experiment file as a mapping with the new options.
        var approved = await harness.Approver.ApproveAsync(suggestion.Id, "tester");
        var reloaded = await harness.Experiments.LoadAsync(harness.File("experiments/tickets.yaml"));
        reloaded.Scorers.Should().ContainSingle().Which.Options!.Value.GetProperty("case_sensitive").GetBoolean().Should().BeFalse();
        approved.FilePath.Should().Be("experiments/tickets.yaml");
        (await File.ReadAllTextAsync(harness.File("experiments/tickets.yaml"))).Should().Contain("scorers: [{ name: \"exact-match\", type: \"exact-match\"");
    }

    [Fact]
    public async Task FlagsExactAndNearDuplicatesAndRemovesTheTrainCopyOfAnEvaluatedCase()
    {
        // Arrange: a train case that repeats a test input (with different case and punctuation), and a repeated dev case.
        var cases = TicketsWorkspace.Cases();
        var test = cases.First(c => c.Split == "test");
        var dev = cases.First(c => c.Split == "dev");
        cases.Add(("t-train-900", test.Input.ToUpperInvariant() + "!!", test.Expected, "train"));
        cases.Add(("t-dev-900", dev.Input, dev.Expected, "dev"));
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList, cases), [new DuplicateCasesStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var original = await File.ReadAllLinesAsync(harness.File("datasets/tickets.jsonl"));

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        var change = SuggestionJson.Deserialize<DatasetChange>(suggestion.ChangeJson);
        var approved = await harness.Approver.ApproveAsync(suggestion.Id, "tester");

        // Assert
        change.Operations.Select(o => (o.Op, o.CaseId)).Should().BeEquivalentTo(new[] { ("remove", "t-train-900"), ("remove", "t-dev-900") });
        change.Operations.Single(o => o.CaseId == "t-train-900").Reason.Should().Contain(test.Id).And.Contain("leak");
        var lines = await File.ReadAllLinesAsync(harness.File("datasets/tickets.jsonl"));
        lines.Should().Equal(original.Where(l => !l.Contains("\"t-train-900\"", StringComparison.Ordinal) && !l.Contains("\"t-dev-900\"", StringComparison.Ordinal)), "every other line stays byte for byte");
        approved.Suggestion.ResultingVersion.Should().HaveLength(64);
        var versions = await harness.Versions.ListAsync("datasets/tickets.jsonl");
        versions.Should().HaveCount(2);
        versions[1].Content.Split('\n').Should().Contain(original);
    }

    [Fact]
    public async Task FlagsACaseWhoseExpectedLabelDisagreesWithItsNeighboursAndTheModel()
    {
        // Arrange: an obvious billing message labelled "bug", in the analysis half of dev; the prompt has examples so the model answers billing.
        var cases = TicketsWorkspace.Cases();
        var id = TicketsWorkspace.IdInHalf("dev", analysis: true);
        cases.Add((id, "I was charged twice for my annual subscription, please refund the invoice", "bug", "dev"));
        var examples = string.Join("\n", cases.Where(c => c.Split == "train").Select(c => $"\nInput: {c.Input}\nOutput: {c.Expected}"));
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList + "\nExamples:\n" + examples, cases), [new SuspectLabelStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        var change = SuggestionJson.Deserialize<DatasetChange>(suggestion.ChangeJson);
        var op = change.Operations.Should().ContainSingle().Subject;
        (op.Op, op.CaseId, op.ExpectedBefore, op.ExpectedAfter).Should().Be(("relabel", id, "bug", "billing"));
        var evidence = SuggestionJson.Deserialize<DatasetEvidence>(suggestion.EvidenceJson!);
        evidence.Baseline.Select(f => f.Label).Should().Contain(l => l.Contains("relabelled", StringComparison.Ordinal));
        var relabelled = evidence.Baseline.Single(f => f.Label.Contains("relabelled", StringComparison.Ordinal));
        relabelled.PassRate.Should().BeGreaterThan(evidence.Baseline[0].PassRate);

        // Approving rewrites just that line's expected value.
        await harness.Approver.ApproveAsync(suggestion.Id, "tester");
        var line = (await File.ReadAllLinesAsync(harness.File("datasets/tickets.jsonl"))).Single(l => l.Contains(id, StringComparison.Ordinal));
        JsonDocument.Parse(line).RootElement.GetProperty("expected").GetString().Should().Be("billing");
    }

    [Fact]
    public async Task ProposesTrainCasesForAFailingLabelThatTooFewCasesMeasure()
    {
        // Arrange: a fourth label with two dev cases, both in the analysis half and both failing (the prompt does not list it).
        var cases = TicketsWorkspace.Cases();
        var first = TicketsWorkspace.IdInHalf("dev", analysis: true, from: 900);
        var second = TicketsWorkspace.IdInHalf("dev", analysis: true, from: int.Parse(first[^3..], System.Globalization.CultureInfo.InvariantCulture) + 1);
        cases.Add((first, "How do I close my account for good", "account_closure", "dev"));
        cases.Add((second, "Delete my account and all my data", "account_closure", "dev"));
        for (var i = 0; i < 4; i++)
        {
            cases.Add(($"t-train-{950 + i}", $"Please close account number {i} permanently", "account_closure", "train"));
        }

        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList, cases), [new PatternCoverageStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        var change = SuggestionJson.Deserialize<DatasetChange>(suggestion.ChangeJson);
        change.Operations.Should().HaveCount(3).And.OnlyContain(o => o.Op == "move" && o.SplitBefore == "train" && o.SplitAfter == "dev" && o.ExpectedBefore == "account_closure");
        change.Provenance.MotivatingCaseIds.Should().BeEquivalentTo(first, second);
        var evidence = SuggestionJson.Deserialize<DatasetEvidence>(suggestion.EvidenceJson!);
        evidence.RowsRunId.Should().NotBeNull();
        evidence.Baseline.Should().Contain(f => f.Label == "the rows to add" && f.Cases == 3);
    }

    private static async Task<int> CountResultsAsync(SuggestionHarness harness)
    {
        var count = 0;
        foreach (var run in await harness.Runs.ListRunsAsync())
        {
            await foreach (var _ in harness.Runs.ReadAsync(run.Id))
            {
                count++;
            }
        }

        return count;
    }
}
