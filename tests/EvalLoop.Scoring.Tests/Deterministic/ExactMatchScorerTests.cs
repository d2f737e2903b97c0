using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Deterministic;

public sealed class ExactMatchScorerTests
{
    [Fact]
    public async Task ScoresOneWhenTheOutputEqualsTheExpectedText()
    {
        // Arrange
        var scorer = new ExactMatchScorer(Definition("exact-match"));

        // Act
        var result = await scorer.ScoreAsync(Input("Paris", JsonString("Paris")));

        // Assert
        result.Score.Should().Be(1);
        result.Passed.Should().BeTrue();
        result.Error.Should().BeNull();
        result.Rationale.Should().NotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("paris")]
    [InlineData("PARIS")]
    [InlineData(" Paris")]
    [InlineData("Paris\n")]
    [InlineData("Paris.")]
    [InlineData("Pa ris")]
    [InlineData("")]
    public async Task ComparesExactlyByDefault(string output)
    {
        // Arrange
        var scorer = new ExactMatchScorer(Definition("exact-match"));

        // Act
        var result = await scorer.ScoreAsync(Input(output, JsonString("Paris")));

        // Assert
        result.Score.Should().Be(0);
        result.Passed.Should().BeFalse();
        result.Error.Should().BeNull();
        result.Rationale.Should().Contain("differs").And.Contain("exact");
    }

    [Theory]
    [InlineData("""{"trim": true}""", "  Paris \n", "Paris", true)]
    [InlineData("""{"trim": true}""", "paris", "Paris", false)]
    [InlineData("""{"trim": true}""", "Pa  ris", "Pa ris", false)]
    [InlineData("""{"case_sensitive": false}""", "PARIS", "paris", true)]
    [InlineData("""{"case_sensitive": false}""", " PARIS", "paris", false)]
    [InlineData("""{"case_sensitive": true}""", "PARIS", "Paris", false)]
    [InlineData("""{"normalize_whitespace": true}""", "  New \t York\n\nCity ", "New York City", true)]
    [InlineData("""{"normalize_whitespace": true}""", "NewYork", "New York", false)]
    [InlineData("""{"ignore_punctuation": true}""", "Paris.", "Paris", true)]
    [InlineData("""{"ignore_punctuation": true}""", "\"card_arrival\"!", "card_arrival", true)]
    [InlineData("""{"ignore_punctuation": true}""", "Paris", "paris", false)]
    [InlineData("""{"trim": true, "case_sensitive": false, "normalize_whitespace": true, "ignore_punctuation": true}""", " The  answer is: PARIS! ", "the answer is paris", true)]
    [InlineData("""{"trim": false, "case_sensitive": true, "normalize_whitespace": false, "ignore_punctuation": false}""", "Paris ", "Paris", false)]
    public async Task AppliesEachNormalisationOptionToBothSides(string options, string output, string expected, bool match)
    {
        // Arrange
        var scorer = new ExactMatchScorer(Definition("exact-match", options));

        // Act
        var result = await scorer.ScoreAsync(Input(output, JsonString(expected)));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(match ? 1 : 0);
        result.Passed.Should().Be(match);
    }

    [Fact]
    public async Task DescribesTheNormalisationInTheRationale()
    {
        // Arrange
        var scorer = new ExactMatchScorer(Definition("exact-match", """{"trim": true, "case_sensitive": false}"""));

        // Act
        var result = await scorer.ScoreAsync(Input(" paris", JsonString("Paris")));

        // Assert
        result.Rationale.Should().Contain("trimmed").And.Contain("case-insensitive");
    }

    [Theory]
    [InlineData("42", "42", true)]
    [InlineData("42", "42.0", false)]
    [InlineData("true", "true", true)]
    [InlineData("true", "True", false)]
    [InlineData("[1,2]", "[1,2]", true)]
    [InlineData("""{"city":"Paris"}""", """{"city":"Paris"}""", true)]
    [InlineData("[1, 2]", "[1,2]", true)]
    [InlineData("""{ "city": "Paris", "n": [1, 2] }""", """{"city":"Paris","n":[1,2]}""", true)]
    public async Task ComparesANonStringExpectedValueAsCompactJson(string expectedJson, string output, bool match)
    {
        // Arrange: the expected value as the user typed it in the dataset file.
        var scorer = new ExactMatchScorer(Definition("exact-match"));

        // Act
        var result = await scorer.ScoreAsync(Input(output, expectedJson));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(match ? 1 : 0);
    }

    [Fact]
    public async Task ReturnsAnErrorResultWhenTheCaseHasNoExpectedValue()
    {
        // Arrange
        var scorer = new ExactMatchScorer(Definition("exact-match"));

        // Act
        var result = await scorer.ScoreAsync(Input("Paris", expectedJson: null));

        // Assert
        result.Score.Should().BeNull();
        result.Passed.Should().BeFalse();
        result.Error.Should().Contain("no expected value");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(1.0, false)]
    [InlineData(0.5, false)]
    [InlineData(0.0, true)]
    public async Task PassesAMismatchOnlyWhenTheThresholdIsZero(double? threshold, bool passed)
    {
        // Arrange: the output never matches, so the score is 0 and only the threshold (default 1) decides.
        var scorer = new ExactMatchScorer(Definition("exact-match", threshold: threshold));

        // Act
        var result = await scorer.ScoreAsync(Input("Rome", JsonString("Paris")));

        // Assert
        result.Score.Should().Be(0);
        result.Passed.Should().Be(passed);
    }

    [Fact]
    public async Task PassesAMatchAgainstAnyThreshold()
    {
        // Arrange
        var scorer = new ExactMatchScorer(Definition("exact-match", threshold: 1));

        // Act
        var result = await scorer.ScoreAsync(Input("Paris", JsonString("Paris")));

        // Assert
        result.Should().BeEquivalentTo(new { Score = (double?)1, Passed = true, Error = (string?)null });
    }

    [Fact]
    public void RejectsAnUnknownOptionListingTheAllowedOnes()
    {
        // Act
        var act = () => new ExactMatchScorer(Definition("exact-match", """{"ignore_case": true}"""));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.FilePath.Should().Be(SourcePath);
        ex.Line.Should().Be(Line);
        ex.Field.Should().Be("scorer 'checker' options.ignore_case");
        ex.Message.Should().Contain("unknown option").And.Contain("trim, case_sensitive, normalize_whitespace, ignore_punctuation");
    }

    [Theory]
    [InlineData("""{"trim": "yes"}""", "trim")]
    [InlineData("""{"case_sensitive": 0}""", "case_sensitive")]
    [InlineData("""{"normalize_whitespace": "true"}""", "normalize_whitespace")]
    public void RejectsAnOptionOfTheWrongType(string options, string option)
    {
        // Act
        var act = () => new ExactMatchScorer(Definition("exact-match", options));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be($"scorer 'checker' options.{option}");
        ex.Message.Should().Contain("must be true or false");
    }

    [Fact]
    public async Task TreatsANullOptionAsItsDefault()
    {
        // Arrange
        var scorer = new ExactMatchScorer(Definition("exact-match", """{"trim": null}"""));

        // Act
        var result = await scorer.ScoreAsync(Input(" Paris", JsonString("Paris")));

        // Assert
        result.Score.Should().Be(0);
    }
}
