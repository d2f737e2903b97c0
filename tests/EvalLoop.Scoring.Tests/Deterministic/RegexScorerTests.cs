using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Deterministic;

public sealed class RegexScorerTests
{
    [Theory]
    [InlineData("Answer: 42", 1)]
    [InlineData("the answer is 7 (probably)", 1)]
    [InlineData("no digits here", 0)]
    public async Task MatchesAnywhereInTheOutput(string output, double score)
    {
        // Arrange
        var scorer = new RegexScorer(Definition("regex", """{"pattern": "\\d+"}"""));

        // Act
        var result = await scorer.ScoreAsync(Input(output, null));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
        result.Passed.Should().Be(score == 1);
        result.Rationale.Should().NotBeNullOrWhiteSpace().And.Contain(@"\d+");
    }

    [Theory]
    [InlineData("card_arrival", 1)]
    [InlineData("intent: card_arrival", 0)]
    [InlineData("card_arrival\nextra", 0)]
    public async Task MatchesTheWholeOutputWhenAnchored(string output, double score)
    {
        // Arrange
        var scorer = new RegexScorer(Definition("regex", """{"pattern": "^[a-z_]+$"}"""));

        // Act
        var result = await scorer.ScoreAsync(Input(output, null));

        // Assert
        result.Score.Should().Be(score);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task IgnoresCaseOnlyWhenAsked(bool? ignoreCase, double score)
    {
        // Arrange
        var options = ignoreCase is null
            ? """{"pattern": "^paris$"}"""
            : $$"""{"pattern": "^paris$", "ignore_case": {{(ignoreCase.Value ? "true" : "false")}}}""";
        var scorer = new RegexScorer(Definition("regex", options));

        // Act
        var result = await scorer.ScoreAsync(Input("PARIS", null));

        // Assert
        result.Score.Should().Be(score);
    }

    [Fact]
    public async Task DoesNotNeedAnExpectedValue()
    {
        // Arrange
        var scorer = new RegexScorer(Definition("regex", """{"pattern": "Paris"}"""));

        // Act
        var result = await scorer.ScoreAsync(Input("Paris", expectedJson: null));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(1);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("[a-")]
    [InlineData("a{2,1}")]
    public void RejectsAnInvalidPatternNamingTheOption(string pattern)
    {
        // Arrange
        var options = $$"""{"pattern": {{JsonString(pattern)}}}""";

        // Act
        var act = () => new RegexScorer(Definition("regex", options, name: "has-number"));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.FilePath.Should().Be(SourcePath);
        ex.Line.Should().Be(Line);
        ex.Field.Should().Be("scorer 'has-number' options.pattern");
        ex.Message.Should().StartWith($"{SourcePath}:{Line}: scorer 'has-number' options.pattern: not a valid regular expression");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{}""")]
    [InlineData("""{"pattern": null}""")]
    [InlineData("""{"ignore_case": true}""")]
    public void RejectsAMissingPattern(string? options)
    {
        // Act
        var act = () => new RegexScorer(Definition("regex", options));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be("scorer 'checker' options.pattern");
        ex.Message.Should().Contain("required");
    }

    [Fact]
    public void RejectsAPatternThatIsNotText()
    {
        // Act
        var act = () => new RegexScorer(Definition("regex", """{"pattern": ["a", "b"]}"""));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be("scorer 'checker' options.pattern");
        ex.Message.Should().Contain("must be text");
    }

    [Fact]
    public void RejectsAnIgnoreCaseThatIsNotABoolean()
    {
        // Act
        var act = () => new RegexScorer(Definition("regex", """{"pattern": "a", "ignore_case": "yes"}"""));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be("scorer 'checker' options.ignore_case");
        ex.Message.Should().Contain("must be true or false").And.Contain("\"yes\"");
    }

    [Fact]
    public void RejectsAnUnknownOptionListingTheAllowedOnes()
    {
        // Act
        var act = () => new RegexScorer(Definition("regex", """{"pattern": "a", "multiline": true}"""));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be("scorer 'checker' options.multiline");
        ex.Message.Should().Contain("unknown option for scorer type 'regex'").And.Contain("allowed: pattern, ignore_case");
    }

    [Fact]
    public async Task ReturnsAnErrorResultWhenMatchingTimesOut()
    {
        // Arrange: catastrophic backtracking; the scorer's 1 s match timeout must turn it into an error on this case.
        var scorer = new RegexScorer(Definition("regex", """{"pattern": "^(\\w+\\s?)*$"}"""));
        var output = new string('a', 64) + "!";

        // Act
        var result = await scorer.ScoreAsync(Input(output, null));

        // Assert
        result.Score.Should().BeNull();
        result.Passed.Should().BeFalse();
        result.Error.Should().Contain("timed out");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0.0, true)]
    public async Task PassesANonMatchOnlyWhenTheThresholdIsZero(double? threshold, bool passed)
    {
        // Arrange
        var scorer = new RegexScorer(Definition("regex", """{"pattern": "^yes$"}""", threshold));

        // Act
        var result = await scorer.ScoreAsync(Input("no", null));

        // Assert
        result.Score.Should().Be(0);
        result.Passed.Should().Be(passed);
    }
}
