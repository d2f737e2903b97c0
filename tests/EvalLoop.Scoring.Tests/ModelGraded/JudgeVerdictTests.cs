using EvalLoop.Scoring.ModelGraded;

namespace EvalLoop.Scoring.Tests.ModelGraded;

public sealed class JudgeVerdictTests
{
    private static readonly string[] Choices = ["A", "B", "C"];

    [Theory]
    [InlineData("""{"reasoning": "r", "choice": "B"}""", "B")]
    [InlineData("""  {"choice": " C ", "reasoning": "r", "extra": 1}  """, "C")]
    [InlineData("```json\n{\"reasoning\": \"r\", \"choice\": \"A\"}\n```", "A")]
    [InlineData("```\n{\"reasoning\": \"r\", \"choice\": \"A\"}\n```", "A")]
    public void ParsesAStrictReply(string reply, string choice)
    {
        JudgeVerdict.TryParse(reply, Choices, out var verdict, out _).Should().BeTrue();
        verdict!.Choice.Should().Be(choice);
    }

    [Theory]
    [InlineData("The answer is B.")]
    [InlineData("B")]
    [InlineData("""{"reasoning": "r", "choice": "b"}""")]
    [InlineData("""{"reasoning": "r", "choice": "B or C"}""")]
    [InlineData("""{"reasoning": "r", "choice": 2}""")]
    [InlineData("""{"reasoning": " ", "choice": "B"}""")]
    [InlineData("""Sure! {"reasoning": "r", "choice": "B"}""")]
    [InlineData("""{"reasoning": "r", "choice": "B"} {"reasoning": "r", "choice": "C"}""")]
    [InlineData("```json\n{\"reasoning\": \"r\", \"choice\": \"A\"}")]
    [InlineData(null)]
    public void RejectsAnythingElse(string? reply)
    {
        JudgeVerdict.TryParse(reply, Choices, out var verdict, out var problem).Should().BeFalse();
        verdict.Should().BeNull();
        problem.Should().NotBeNullOrWhiteSpace();
    }
}
