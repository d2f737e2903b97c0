using EvalLoop.Core.Experiments;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Prompt;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Tests;

/// <summary>The offline "tighten an ignored instruction" strategy on the crafted tickets workspace.</summary>
public sealed class IgnoredInstructionStrategyTests
{
    // The prompt asks for lower case, but lists "Bug" capitalised: the offline model answers "Bug", which the
    // case-sensitive exact-match fails.
    private const string System = "Classify the support ticket. Always answer in lower case.\nAnswer with exactly one of:\n- billing\n- Bug\n- feature_request\n";

    [Fact]
    public async Task MovesAnIgnoredLowerCaseInstructionToTheEndRestatedWithCounterExamplesAndVerifiesIt()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(System, scorers: "[exact-match]"), [new IgnoredInstructionStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        var suggestion = outcome.Created.Should().ContainSingle().Subject;
        var change = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson);
        var evidence = SuggestionJson.Deserialize<PromptEvidence>(suggestion.EvidenceJson!);
        change.Strategy.Should().Be("ignored-instruction");
        var lines = change.Proposed.System!.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("Classify the support ticket.", "the instruction is taken out of its sentence");
        lines[1..5].Should().Equal("Answer with exactly one of:", "- billing", "- Bug", "- feature_request");
        lines.Should().Contain("Important: Write the whole answer in lower case: no capital letters.");
        Array.IndexOf(lines, "Important: Write the whole answer in lower case: no capital letters.").Should().BeGreaterThan(4, "it is restated at the end");
        var cases = TicketsWorkspace.Cases().ToDictionary(c => c.Id);
        var counter = change.Provenance.SourceCaseIds.Select(id => $"Wrong: \"Bug\" (for \"{cases[id].Input}\"); right: \"{cases[id].Expected}\".").ToList();
        counter.Should().NotBeEmpty();
        lines.Where(l => l.StartsWith("Wrong: ", StringComparison.Ordinal)).Should().Equal(counter, "each counter-example is a failing answer that broke the instruction, with the expected answer");
        change.Provenance.MotivatingCaseIds.Should().NotBeEmpty();
        change.Proposed.User.Should().Be("{{input}}");

        // Verified by a real run on the verification half, without the cases that motivated it.
        evidence.VerificationCases.Should().BeGreaterThan(0);
        var verified = new List<string>();
        await foreach (var result in harness.Runs.ReadAsync(evidence.CandidateRunId))
        {
            verified.Add(result.CaseId);
        }

        verified.Should().NotBeEmpty().And.NotIntersectWith(change.Provenance.AllCaseIds());
    }

    [Fact]
    public async Task ProposesNothingWhenNoStatedInstructionIsBroken()
    {
        // Arrange: the same instruction, and every label in lower case, so no answer breaks it.
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(System.Replace("- Bug", "- bug", StringComparison.Ordinal), scorers: "[exact-match]"), [new IgnoredInstructionStrategy()]);
        var baseline = await harness.RunAsync("tickets");

        // Act
        var outcome = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        baseline.Summary.Failed.Should().BeGreaterThan(0, "there are failures, just none that breaks an instruction");
        outcome.Created.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Answer in one word.", "card arrival", true)]
    [InlineData("Answer in one word.", "card_arrival", false)]
    [InlineData("Use no more than 3 words.", "the card has not arrived", true)]
    [InlineData("Use no more than 3 words.", "card not arrived", false)]
    [InlineData("Reply with the label only.\n- billing\n- bug", "bug: the app crashes", true)]
    [InlineData("Reply with the label only.\n- billing\n- bug", "debugging", false)]
    [InlineData("Answer with exactly one of:\n- billing\n- bug", "shipping", true)]
    [InlineData("Answer with exactly one of:\n- billing\n- bug", "Bug", false)]
    public void DetectsAnswersThatBreakAStatedInstruction(string system, string output, bool breaks)
    {
        // Act
        var instructions = IgnoredInstructionStrategy.Instructions(new PromptDefinition(system, "{{input}}"));

        // Assert
        instructions.Should().NotBeEmpty();
        instructions.Any(i => i.Violates(output)).Should().Be(breaks);
    }

    [Theory]
    [InlineData("Answer in under 3 words.", "card not arrived", true)] // exactly 3: not under 3
    [InlineData("Answer in under 3 words.", "card missing", false)]
    [InlineData("Use fewer than 3 words.", "card not arrived", true)]
    [InlineData("Use less than 3 words.", "card not arrived", true)]
    [InlineData("Use less than 3 words.", "card missing", false)]
    [InlineData("Use at most 3 words.", "card not arrived", false)] // exactly 3 is allowed
    [InlineData("Use at most 3 words.", "card has not arrived", true)]
    [InlineData("Use no more than 3 words.", "card not arrived", false)]
    [InlineData("Answer in up to 3 words.", "card not arrived", false)]
    [InlineData("Answer in up to 3 words.", "card has not arrived", true)]
    public void AStrictWordLimitFlagsAnAnswerOfExactlyThatManyWordsAndAnInclusiveOneDoesNot(string system, string output, bool breaks)
    {
        // Act
        var limit = IgnoredInstructionStrategy.Instructions(new PromptDefinition(system, "{{input}}")).Single(i => i.Kind == "word-limit");

        // Assert
        limit.Violates(output).Should().Be(breaks);
    }

    [Theory]
    [InlineData("Answer in under 3 words.", "Use fewer than 3 words in the answer.")]
    [InlineData("Use at most 3 words.", "Use at most 3 words in the answer.")]
    public void TheRestatementKeepsTheLimitAsStated(string system, string restatement) =>
        IgnoredInstructionStrategy.Instructions(new PromptDefinition(system, "{{input}}")).Single(i => i.Kind == "word-limit").Restatement.Should().Be(restatement);

    [Fact]
    public void UnderOneWordIsNoLimitAnAnswerCanKeep() =>
        IgnoredInstructionStrategy.Instructions(new PromptDefinition("Answer in under 1 word.", "{{input}}")).Should().NotContain(i => i.Kind == "word-limit");

    [Theory]
    [InlineData("Émile")]
    [InlineData("МОСКВА")]
    public void AnUpperCaseLetterOutsideAsciiBreaksALowerCaseInstruction(string output) =>
        IgnoredInstructionStrategy.Instructions(new PromptDefinition("Answer in lower case.", "{{input}}")).Single(i => i.Kind == "lower-case").Violates(output).Should().BeTrue();
}
