using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Deterministic;

public sealed class ContainsScorerTests
{
    [Theory]
    [InlineData("The capital is Paris.", 1)]
    [InlineData("Paris", 1)]
    [InlineData("The capital is paris.", 0)]
    [InlineData("The capital is Rome.", 0)]
    public async Task LooksForTheConfiguredValue(string output, double score)
    {
        // Arrange
        var scorer = new ContainsScorer(Definition("contains", """{"value": "Paris"}"""));

        // Act: the case's expected value is ignored when options.value is set.
        var result = await scorer.ScoreAsync(Input(output, JsonString("Rome")));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
        result.Passed.Should().Be(score == 1);
        result.Rationale.Should().Contain("Paris");
    }

    [Theory]
    [InlineData("I think it is Paris, France.", 1)]
    [InlineData("I think it is Lyon.", 0)]
    public async Task LooksForTheExpectedValueWhenNoValueIsConfigured(string output, double score)
    {
        // Arrange
        var scorer = new ContainsScorer(Definition("contains"));

        // Act
        var result = await scorer.ScoreAsync(Input(output, JsonString("Paris")));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
        result.Rationale.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task LooksForANonStringExpectedValueAsCompactJson()
    {
        // Arrange
        var scorer = new ContainsScorer(Definition("contains"));

        // Act
        var result = await scorer.ScoreAsync(Input("The answer is 42.", "42"));

        // Assert
        result.Score.Should().Be(1);
    }

    [Theory]
    [InlineData("""{"value": "paris", "case_sensitive": false}""", "PARIS is lovely", 1)]
    [InlineData("""{"value": "New York", "normalize_whitespace": true}""", "in New\n  York today", 1)]
    [InlineData("""{"value": "New York"}""", "in New\n  York today", 0)]
    [InlineData("""{"value": "card arrival", "ignore_punctuation": true}""", "It's about: card, arrival.", 1)]
    [InlineData("""{"value": "cardarrival", "ignore_punctuation": true}""", "card_arrival", 1)]
    public async Task AppliesTheNormalisationOptionsToBothSides(string options, string output, double score)
    {
        // Arrange
        var scorer = new ContainsScorer(Definition("contains", options));

        // Act
        var result = await scorer.ScoreAsync(Input(output, null));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("\"\"")]
    public async Task ReturnsAnErrorResultWhenThereIsNothingToLookFor(string? expectedJson)
    {
        // Arrange
        var scorer = new ContainsScorer(Definition("contains"));

        // Act
        var result = await scorer.ScoreAsync(Input("anything", expectedJson));

        // Assert
        result.Score.Should().BeNull();
        result.Passed.Should().BeFalse();
        result.Error.Should().Contain("nothing to look for");
    }

    [Fact]
    public void RejectsAnEmptyValueOption()
    {
        // Act
        var act = () => new ContainsScorer(Definition("contains", """{"value": ""}"""));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.FilePath.Should().Be(SourcePath);
        ex.Line.Should().Be(Line);
        ex.Field.Should().Be("scorer 'checker' options.value");
        ex.Message.Should().Contain("must not be empty");
    }

    [Fact]
    public void RejectsAValueThatIsNotText()
    {
        // Act
        var act = () => new ContainsScorer(Definition("contains", """{"value": 42}"""));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be("scorer 'checker' options.value");
        ex.Message.Should().Contain("must be text").And.Contain("42");
    }

    [Fact]
    public void RejectsAnUnknownOptionListingTheAllowedOnes()
    {
        // Act
        var act = () => new ContainsScorer(Definition("contains", """{"values": ["a"]}"""));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be("scorer 'checker' options.values");
        ex.Message.Should().Contain("allowed: trim, case_sensitive, normalize_whitespace, ignore_punctuation, value");
    }

    [Fact]
    public async Task ShortensALongNeedleInTheRationale()
    {
        // Arrange
        var needle = new string('x', 100);
        var scorer = new ContainsScorer(Definition("contains", $$"""{"value": "{{needle}}"}"""));

        // Act
        var result = await scorer.ScoreAsync(Input("no", null));

        // Assert
        result.Score.Should().Be(0);
        result.Rationale.Should().Contain(new string('x', 57) + "...").And.NotContain(needle);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0.0, true)]
    public async Task PassesAMissOnlyWhenTheThresholdIsZero(double? threshold, bool passed)
    {
        // Arrange
        var scorer = new ContainsScorer(Definition("contains", """{"value": "Paris"}""", threshold));

        // Act
        var result = await scorer.ScoreAsync(Input("Rome", null));

        // Assert
        result.Score.Should().Be(0);
        result.Passed.Should().Be(passed);
    }
}
