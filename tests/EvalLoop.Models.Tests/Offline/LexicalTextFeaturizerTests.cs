using EvalLoop.Models.Offline;

namespace EvalLoop.Models.Tests.Offline;

public sealed class LexicalTextFeaturizerTests
{
    [Theory]
    [InlineData("card_arrival", "card arrival")]
    [InlineData("CardArrival", "card arrival")]
    [InlineData("top-up-failed", "top up failed")]
    [InlineData("getHTTPResponse", "get http response")]
    [InlineData("Lost or stolen card", "lost or stolen card")]
    public void TurnsLabelIdentifiersIntoWords(string label, string expected)
    {
        // Act
        var text = LexicalTextFeaturizer.LabelToText(label);

        // Assert
        text.Should().Be(expected);
    }

    [Fact]
    public void ProducesUnitLengthVectorsOfTheRequestedSize()
    {
        // Arrange
        var featurizer = new LexicalTextFeaturizer(384);

        // Act
        var vector = featurizer.Embed("My card still hasn't arrived after two weeks.");

        // Assert
        vector.Should().HaveCount(384);
        Math.Sqrt(vector.Sum(value => value * value)).Should().BeApproximately(1.0, 1e-5);
    }

    [Fact]
    public void ProducesTheSameVectorForTheSameTextEveryTime()
    {
        // Arrange
        var first = new LexicalTextFeaturizer();
        var second = new LexicalTextFeaturizer();

        // Act
        var a = first.Embed("Where is my new card?");
        var b = second.Embed("Where is my new card?");

        // Assert
        a.Should().Equal(b);
    }

    [Fact]
    public void ScoresInflectionsOfTheSameWordsAsMoreSimilarThanUnrelatedText()
    {
        // Arrange
        var featurizer = new LexicalTextFeaturizer();
        var query = featurizer.Embed("I was charged twice for the transfer");

        // Act
        var related = Cosine(query, featurizer.Embed("Why are there two charges on my transfers?"));
        var unrelated = Cosine(query, featurizer.Embed("How old do you need to be to open an account?"));

        // Assert
        related.Should().BeGreaterThan(unrelated + 0.2f);
    }

    [Fact]
    public void ReturnsTheZeroVectorForTextWithoutWords()
    {
        // Arrange
        var featurizer = new LexicalTextFeaturizer();

        // Act
        var vector = featurizer.Embed(" ?! the ");

        // Assert
        vector.Should().OnlyContain(value => value == 0f);
    }

    private static float Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
