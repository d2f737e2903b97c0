using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests;

public sealed class BuiltInScorerFactoryTests
{
    [Fact]
    public void KnowsTheDeterministicScorerTypes()
    {
        // Arrange
        var factory = new BuiltInScorerFactory();

        // Act
        var types = factory.KnownTypes;

        // Assert
        types.Should().Contain(["exact-match", "contains", "regex"]);
    }

    [Theory]
    [InlineData("exact-match", null, typeof(ExactMatchScorer))]
    [InlineData("contains", null, typeof(ContainsScorer))]
    [InlineData("regex", """{"pattern": "x"}""", typeof(RegexScorer))]
    public void CreatesTheScorerForEachType(string type, string? options, Type scorerType)
    {
        // Arrange
        var factory = new BuiltInScorerFactory();
        var definition = Definition(type, options);

        // Act
        var scorer = factory.Create(definition);

        // Assert
        scorer.Should().BeOfType(scorerType);
        scorer.Definition.Should().BeSameAs(definition);
    }

    [Fact]
    public void RejectsAnUnknownTypeListingTheBuiltInOnes()
    {
        // Arrange
        var factory = new BuiltInScorerFactory();

        // Act
        var act = () => factory.Create(Definition("Exact-Match"));

        // Assert: an ArgumentException, which the experiment loader turns into a file:line error.
        act.Should().ThrowExactly<ArgumentException>().Which.Message
            .Should().Contain("unknown scorer type 'Exact-Match'").And.Contain("exact-match").And.Contain("regex");
    }

    [Fact]
    public void LetsOptionErrorsFromTheScorerThrough()
    {
        // Arrange
        var factory = new BuiltInScorerFactory();

        // Act
        var act = () => factory.Create(Definition("regex", """{"pattern": "("}"""));

        // Assert
        act.Should().ThrowExactly<WorkspaceFileException>().Which.Field.Should().Be("scorer 'checker' options.pattern");
    }
}
