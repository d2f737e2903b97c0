using EvalLoop.Models.Offline;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests.Offline;

public sealed class OfflineEmbeddingGeneratorTests
{
    [Fact]
    public async Task ReturnsOneUnitLengthVectorOf384DimensionsPerText()
    {
        // Arrange
        using var generator = new OfflineEmbeddingGenerator();

        // Act
        var embeddings = await generator.GenerateAsync(["my card has not arrived", "what is the exchange rate?"]);

        // Assert
        embeddings.Should().HaveCount(2);
        embeddings.Should().OnlyContain(embedding => embedding.Vector.Length == 384);
        embeddings.Select(embedding => Norm(embedding.Vector.Span)).Should().AllSatisfy(norm => norm.Should().BeApproximately(1.0, 1e-5));
        embeddings[0].ModelId.Should().Be("offline-lexical-v1");
        embeddings.Usage!.InputTokenCount.Should().Be(11);
    }

    [Fact]
    public async Task ProducesIdenticalVectorsForIdenticalTexts()
    {
        // Arrange
        using var first = new OfflineEmbeddingGenerator();
        using var second = new OfflineEmbeddingGenerator();

        // Act
        var a = await first.GenerateVectorAsync("Why was I charged a fee?");
        var b = await second.GenerateVectorAsync("Why was I charged a fee?");

        // Assert
        a.ToArray().Should().Equal(b.ToArray());
    }

    [Fact]
    public async Task PlacesTextsThatShareWordsCloserThanTextsThatDoNot()
    {
        // Arrange
        using var generator = new OfflineEmbeddingGenerator();

        // Act
        var embeddings = await generator.GenerateAsync(
            ["I was charged a fee for my top up", "Why is there a fee on my top-up?", "How do I change my PIN?"]);

        // Assert
        var related = Dot(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        var unrelated = Dot(embeddings[0].Vector.Span, embeddings[2].Vector.Span);
        related.Should().BeGreaterThan(unrelated + 0.2f);
    }

    [Fact]
    public async Task HonoursRequestedDimensionsAndModelId()
    {
        // Arrange
        using var generator = new OfflineEmbeddingGenerator();
        var options = new EmbeddingGenerationOptions { Dimensions = 64, ModelId = "custom" };

        // Act
        var embeddings = await generator.GenerateAsync(["hello world"], options);

        // Assert
        embeddings[0].Vector.Length.Should().Be(64);
        embeddings[0].ModelId.Should().Be("custom");
    }

    [Fact]
    public void DescribesItselfAsTheOfflineProvider()
    {
        // Arrange
        using var generator = new OfflineEmbeddingGenerator();

        // Act
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        // Assert
        metadata!.ProviderName.Should().Be("offline");
        metadata.DefaultModelDimensions.Should().Be(384);
        metadata.DefaultModelId.Should().Be("offline-lexical-v1");
    }

    private static double Norm(ReadOnlySpan<float> vector) => Math.Sqrt(Dot(vector, vector));

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
