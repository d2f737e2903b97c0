using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Tests;

/// <summary>The in-process checks of form instructions agree with the regex scorers proposed for them, in any script.</summary>
public sealed class InstructionChecksTests
{
    [Theory]
    [InlineData("billing", true)]
    [InlineData("Bug", false)]
    [InlineData("feature_request 42!", true)]
    [InlineData("émile", true)]
    [InlineData("Émile", false)] // Latin upper case outside ASCII
    [InlineData("straße", true)]
    [InlineData("ΣΟΦΊΑ", false)] // Greek
    [InlineData("σοφία", true)]
    [InlineData("Москва", false)] // Cyrillic
    [InlineData("日本語", true)] // no case at all
    [InlineData("", true)]
    [InlineData("bug\n", true)]
    [InlineData("bug\nBilling", false)]
    public async Task TheLowerCaseCheckIsTheRegexScorersVerdictAndCharIsUpper(string answer, bool lowerCase)
    {
        // Arrange
        var scorer = RegexScorer(InstructionChecks.LowerCasePattern);

        // Act
        var checkedInProcess = InstructionChecks.IsLowerCase(answer);
        var scored = await scorer.ScoreAsync(Input(answer));

        // Assert
        checkedInProcess.Should().Be(lowerCase);
        scored.Passed.Should().Be(lowerCase, "the scorer proposed for a lower-case requirement judges the answer as the strategy does");
        answer.Any(char.IsUpper).Should().Be(!lowerCase);
    }

    [Theory]
    [InlineData("billing", true)]
    [InlineData("  Bug \n", true)]
    [InlineData("feature request", false)]
    [InlineData("Größe", true)]
    [InlineData("bug\u00A0fix", false)] // a no-break space separates words too
    [InlineData("bug\u3000fix", false)] // ideographic space
    [InlineData("日本語", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    public async Task TheOneWordCheckIsTheRegexScorersVerdictAndTheWordCount(string answer, bool oneWord)
    {
        // Arrange
        var scorer = RegexScorer(InstructionChecks.OneWordPattern);

        // Act
        var checkedInProcess = InstructionChecks.IsOneWord(answer);
        var scored = await scorer.ScoreAsync(Input(answer));

        // Assert
        checkedInProcess.Should().Be(oneWord);
        scored.Passed.Should().Be(oneWord);
        (InstructionChecks.WordCount(answer) == 1).Should().Be(oneWord);
    }

    [Theory]
    [InlineData("Answer in lower case.", true, false)]
    [InlineData("Use lowercase letters only", true, false)]
    [InlineData("Reply with a single word.", false, true)]
    [InlineData("answers in lower-case, one word", true, true)]
    [InlineData("Be polite", false, false)]
    public void RecognisesTheInstructionsInPromptAndGoalText(string text, bool asksLowerCase, bool asksOneWord)
    {
        InstructionChecks.AsksForLowerCase(text).Should().Be(asksLowerCase);
        InstructionChecks.AsksForOneWord(text).Should().Be(asksOneWord);
    }

    private static RegexScorer RegexScorer(string pattern) =>
        new(new ScorerDefinition("check", "regex", null, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["pattern"] = pattern })));

    private static ScoringInput Input(string output) =>
        new(new DatasetCase("c1", JsonSerializer.SerializeToElement("input"), null, null, null), output);
}
