using EvalLoop.Core.Workspace;
using EvalLoop.Models.Offline;
using EvalLoop.Scoring.Embedding;
using Microsoft.Extensions.AI;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Embedding;

public sealed class EmbeddingSimilarityScorerTests
{
    [Fact]
    public async Task ScoresIdenticalTextsOneAndUnrelatedTextsZeroWithTheOfflineGenerator()
    {
        // Arrange
        using var generator = new OfflineEmbeddingGenerator();
        var scorer = new EmbeddingSimilarityScorer(Definition("embedding-similarity"), generator);

        // Act
        var same = await scorer.ScoreAsync(Input("my card has not arrived yet", JsonString("my card has not arrived yet")));
        var unrelated = await scorer.ScoreAsync(Input("exchange rates for euros", JsonString("my card has not arrived yet")));

        // Assert
        same.Score.Should().BeApproximately(1, 1e-6);
        same.Passed.Should().BeTrue();
        unrelated.Score.Should().Be(0);
        unrelated.Passed.Should().BeFalse();
        unrelated.Rationale.Should().Contain("cosine similarity");
    }

    [Theory]
    [InlineData(new float[] { 1, 0 }, new float[] { 1, 0 }, 0.7, 1.0)]
    [InlineData(new float[] { 1, 0 }, new float[] { 0, 1 }, 0.7, 0.0)]
    [InlineData(new float[] { 1, 1 }, new float[] { 1, 0 }, 0.0, 0.7071067811865475)]
    [InlineData(new float[] { 1, 1 }, new float[] { 1, 0 }, 0.5, 0.41421356237309503)]
    [InlineData(new float[] { 0, 0 }, new float[] { 1, 0 }, 0.7, 0.0)]
    [InlineData(new float[] { 3, 4 }, new float[] { 6, 8 }, 0.7, 1.0)]
    public async Task RescalesTheCosineAsAutoevalsEmbeddingSimilarity(float[] output, float[] expected, double expectedMin, double score)
    {
        // Arrange: score = max((cos - expected_min) / (1 - expected_min), 0), cos capped at 1 and 0 for a zero vector.
        using var generator = new ScriptedGenerator(output, expected);
        var scorer = new EmbeddingSimilarityScorer(Definition("embedding-similarity", $$"""{"expected_min": {{expectedMin.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}"""), generator);

        // Act
        var result = await scorer.ScoreAsync(Input("a", JsonString("b")));

        // Assert
        result.Score.Should().BeApproximately(score, 1e-6);
    }

    [Fact]
    public async Task PutsThePrefixBeforeBothTexts()
    {
        using var generator = new ScriptedGenerator([1, 0], [1, 0]);
        var scorer = new EmbeddingSimilarityScorer(Definition("embedding-similarity", """{"prefix": "Banking: "}"""), generator);

        await scorer.ScoreAsync(Input("card lost", JsonString("lost card")));

        generator.Seen.Should().Equal("Banking: card lost", "Banking: lost card");
    }

    [Fact]
    public async Task AGeneratorFailureIsAnErrorOnTheCase()
    {
        using var generator = new ScriptedGenerator([1], [1]) { Fail = true };
        var scorer = new EmbeddingSimilarityScorer(Definition("embedding-similarity"), generator);

        var result = await scorer.ScoreAsync(Input("a", JsonString("b")));

        result.Score.Should().BeNull();
        result.Error.Should().Contain("embedding failed").And.Contain("endpoint down");
    }

    [Theory]
    [InlineData("""{"expected_min": 1}""", "expected_min")]
    [InlineData("""{"expected_min": "high"}""", "expected_min")]
    [InlineData("""{"model": "x"}""", "model")]
    public void RejectsBadOptionsWhenLoaded(string options, string option)
    {
        using var generator = new OfflineEmbeddingGenerator();

        var act = () => new EmbeddingSimilarityScorer(Definition("embedding-similarity", options), generator);

        act.Should().ThrowExactly<WorkspaceFileException>().Which.Field.Should().Be($"scorer 'checker' options.{option}");
    }

    private sealed class ScriptedGenerator(float[] output, float[] expected) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Seen { get; } = [];

        public bool Fail { get; init; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(values);
            return Fail
                ? throw new HttpRequestException("endpoint down")
                : Task.FromResult(new GeneratedEmbeddings<Embedding<float>>([new(output), new(expected)]));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
