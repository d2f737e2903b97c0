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
        await CheckAndScorerAgreeAsync(InstructionChecks.LowerCasePattern, InstructionChecks.IsLowerCase, answer, lowerCase);
        answer.Any(char.IsUpper).Should().Be(!lowerCase, "the pattern's upper case is char.IsUpper's");
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
        await CheckAndScorerAgreeAsync(InstructionChecks.OneWordPattern, InstructionChecks.IsOneWord, answer, oneWord);
        (InstructionChecks.WordCount(answer) == 1).Should().Be(oneWord, "the pattern's white space is char.IsWhiteSpace's");
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

    /// <summary>The in-process check and the regex scorer with its pattern both give <paramref name="expected"/> for <paramref name="answer"/>.</summary>
    private static async Task CheckAndScorerAgreeAsync(string pattern, Func<string, bool> check, string answer, bool expected)
    {
        var scored = await RegexScorer(pattern).ScoreAsync(Input(answer));
        check(answer).Should().Be(expected);
        scored.Passed.Should().Be(expected, "the scorer proposed for the requirement judges the answer as the strategy does");
    }

    private static RegexScorer RegexScorer(string pattern) =>
        new(new ScorerDefinition("check", "regex", null, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["pattern"] = pattern })));

    private static ScoringInput Input(string output) =>
        new(new DatasetCase("c1", JsonSerializer.SerializeToElement("input"), null, null, null), output);
}
