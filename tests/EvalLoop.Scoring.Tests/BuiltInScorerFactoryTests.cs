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
    public void KnowsEveryScorerTypeOfTheLibrary()
    {
        using var factory = new BuiltInScorerFactory();

        factory.KnownTypes.Should().BeEquivalentTo(
            "exact-match", "contains", "regex", "one-of", "levenshtein", "numeric-diff", "json-diff", "json-valid",
            "json-schema", "token-f1", "embedding-similarity", "llm-rubric", "factuality", "closed-qa", "exec");
    }

    [Theory]
    [InlineData("one-of", """{"values": ["a"]}""", typeof(OneOfScorer))]
    [InlineData("levenshtein", null, typeof(LevenshteinScorer))]
    [InlineData("numeric-diff", null, typeof(NumericDiffScorer))]
    [InlineData("json-diff", null, typeof(JsonDiffScorer))]
    [InlineData("json-valid", null, typeof(JsonValidScorer))]
    [InlineData("json-schema", """{"schema": {"type": "object"}}""", typeof(JsonSchemaScorer))]
    [InlineData("token-f1", null, typeof(TokenF1Scorer))]
    [InlineData("exec", """{"command": "true"}""", typeof(EvalLoop.Scoring.Custom.ExecScorer))]
    public void CreatesTheOtherDeterministicAndCustomScorers(string type, string? options, Type scorerType)
    {
        using var factory = new BuiltInScorerFactory();

        factory.Create(Definition(type, options)).Should().BeOfType(scorerType);
    }

    [Fact]
    public void CreatesEmbeddingSimilarityOnlyWithAGenerator()
    {
        using var without = new BuiltInScorerFactory();
        using var generator = new EvalLoop.Models.Offline.OfflineEmbeddingGenerator();
        using var with = new BuiltInScorerFactory(generator);

        var act = () => without.Create(Definition("embedding-similarity"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*no embedding generator*");
        with.Create(Definition("embedding-similarity")).Should().BeOfType<EvalLoop.Scoring.Embedding.EmbeddingSimilarityScorer>();
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
