using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Deterministic;

public sealed class JsonValidScorerTests
{
    [Theory]
    [InlineData("{\"a\": 1}", null, 1)]
    [InlineData("  [1, 2]\n", null, 1)]
    [InlineData("{}", null, 1)]
    [InlineData("42", null, 0)]
    [InlineData("\"text\"", null, 0)]
    [InlineData("null", null, 0)]
    [InlineData("42", """{"allow_scalars": true}""", 1)]
    [InlineData("{a: 1}", null, 0)]
    [InlineData("{\"a\": 1,}", null, 0)]
    [InlineData("```json\n{\"a\": 1}\n```", null, 0)]
    [InlineData("", null, 0)]
    public async Task ScoresOneForAJsonObjectOrArrayAsAutoevalsValidJsonDoes(string output, string? options, double score)
    {
        var result = await new JsonValidScorer(Definition("json-valid", options)).ScoreAsync(Input(output, null));

        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
        result.Rationale.Should().NotBeNullOrWhiteSpace();
    }
}
