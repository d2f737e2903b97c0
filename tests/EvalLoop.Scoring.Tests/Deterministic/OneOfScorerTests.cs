using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Deterministic;

public sealed class OneOfScorerTests
{
    [Theory]
    [InlineData("""{"values": ["yes", "no"]}""", "yes", null, 1)]
    [InlineData("""{"values": ["yes", "no"]}""", "maybe", null, 0)]
    [InlineData("""{"values": ["yes", "no"]}""", "Yes", null, 0)]
    [InlineData("""{"values": ["yes", "no"], "case_sensitive": false, "trim": true}""", " Yes\n", null, 1)]
    [InlineData("""{"values": ["card_arrival"], "ignore_punctuation": true}""", "\"card_arrival\".", null, 1)]
    [InlineData(null, "b", """["a", "b", "c"]""", 1)]
    [InlineData(null, "d", """["a", "b", "c"]""", 0)]
    [InlineData(null, "42", """[41, 42]""", 1)]
    [InlineData(null, "Paris", "\"Paris\"", 1)]
    [InlineData("""{"values": ["x"]}""", "x", """["a"]""", 1)]
    public async Task ScoresOneWhenTheOutputIsAnAllowedValue(string? options, string output, string? expectedJson, double score)
    {
        // Arrange: options.values wins over the expected value; without it, an expected list or value is the allowed set.
        var scorer = new OneOfScorer(Definition("one-of", options));

        // Act
        var result = await scorer.ScoreAsync(Input(output, expectedJson));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
        result.Rationale.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task IsAnErrorWithoutValuesOrExpected()
    {
        var result = await new OneOfScorer(Definition("one-of")).ScoreAsync(Input("x", null));

        result.Score.Should().BeNull();
        result.Error.Should().Contain("no allowed values");
    }

    [Theory]
    [InlineData("""{"values": []}""", "at least one")]
    [InlineData("""{"values": "yes"}""", "list of text")]
    [InlineData("""{"values": [1, 2]}""", "list of text")]
    public void RejectsBadValuesWhenLoaded(string options, string problem)
    {
        var act = () => new OneOfScorer(Definition("one-of", options));

        act.Should().ThrowExactly<WorkspaceFileException>().Which.Message.Should().Contain("options.values").And.Contain(problem);
    }
}
