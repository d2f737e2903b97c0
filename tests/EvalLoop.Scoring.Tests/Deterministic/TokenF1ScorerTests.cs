using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Deterministic;

public sealed class TokenF1ScorerTests
{
    [Theory]
    [InlineData("Paris", "\"Paris\"", 1.0)]
    [InlineData("The Eiffel Tower!", "\"eiffel tower\"", 1.0)]
    [InlineData("a cat sat", "\"the cat sat down\"", 0.8)]
    [InlineData("cat cat", "\"cat\"", 2.0 / 3)]
    [InlineData("London", "\"Paris\"", 0.0)]
    [InlineData("the", "\"a\"", 1.0)]
    [InlineData("the", "\"Paris\"", 0.0)]
    [InlineData("Denver Broncos", """["Broncos", "Denver Broncos", "the Broncos"]""", 1.0)]
    [InlineData("Carolina Panthers win", """["Panthers", "Carolina"]""", 0.5)]
    [InlineData("1,000 km", "\"1000 km\"", 1.0)]
    [InlineData("42", "42", 1.0)]
    public async Task ComputesSquadAnswerF1(string output, string expectedJson, double f1)
    {
        // Arrange: normalisation lower-cases, drops ASCII punctuation and a/an/the, collapses whitespace; an expected
        // list holds alternative answers and the best F1 counts; two answers with no tokens left are equal.
        var scorer = new TokenF1Scorer(Definition("token-f1"));

        // Act
        var result = await scorer.ScoreAsync(Input(output, expectedJson));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().BeApproximately(f1, 1e-12);
        result.Passed.Should().Be(f1 >= 0.5);
    }

    [Fact]
    public void NormalisesLikeTheSquadScript()
    {
        TokenF1Scorer.Tokens("  The  QUICK, brown fox—an \"apple\"; a-b  ").Should().Equal("quick", "brown", "fox—", "apple", "ab"); // "—an": the dash is no word character, so "an" is an article there too, as in Python's re
    }

    [Fact]
    public async Task IsAnErrorWithoutAnExpectedAnswer()
    {
        var result = await new TokenF1Scorer(Definition("token-f1")).ScoreAsync(Input("x", null));

        result.Error.Should().Contain("no expected value");
    }
}
