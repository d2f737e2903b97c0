using EvalLoop.Core.Workspace;
using EvalLoop.Models.Http;
using EvalLoop.Scoring.Embedding;
using EvalLoop.TestUtilities;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Embedding;

/// <summary><c>embedding-similarity</c> with <c>options.model</c>: an OpenAI-compatible embeddings endpoint (loopback).</summary>
public sealed class EmbeddingModelTests : IAsyncLifetime
{
    private LoopbackOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EmbedsBothSidesThroughTheConfiguredEndpoint()
    {
        // Arrange
        using var factory = new BuiltInScorerFactory(options: new BuiltInScorerFactoryOptions { EmbeddingModels = settings => OpenAiEmbeddingProvider.Create(settings) });
        var scorer = factory.Create(Definition("embedding-similarity", $$$"""{"model": {"provider": "openai", "name": "embed-small", "base_url": "{{{_server.OpenAiBaseUrl}}}"} }"""));

        // Act
        var same = await scorer.ScoreAsync(Input("card arrival", JsonString("card arrival")));

        // Assert
        same.Score.Should().BeApproximately(1, 1e-6);
        _server.Requests.Should().ContainSingle().Which.Path.Should().EndWith("/embeddings");
        _server.Requests[0].Body.Should().Contain("embed-small");
    }

    [Theory]
    [InlineData("""{"model": {"name": "x"}}""", "options.model.provider")]
    [InlineData("""{"model": {"provider": "openai"}}""", "options.model.name")]
    [InlineData("""{"model": {"provider": "openai", "name": "x", "dims": 3}}""", "options.model.dims")]
    [InlineData("""{"model": {"provider": "azure-openai", "name": "x"}}""", "options.model")]
    [InlineData("""{"model": {"provider": "openai", "name": "x", "base_url": "https://example.com/v1", "api_key_env": "NO_SUCH_KEY_VARIABLE_SET"}}""", "options.model")]
    public void RejectsAnUnusableModelWhenLoaded(string options, string field)
    {
        using var factory = new BuiltInScorerFactory(options: new BuiltInScorerFactoryOptions { EmbeddingModels = settings => OpenAiEmbeddingProvider.Create(settings, getEnvironmentVariable: _ => null) });

        var act = () => factory.Create(Definition("embedding-similarity", options));

        act.Should().ThrowExactly<WorkspaceFileException>().Which.Field.Should().Be($"scorer 'checker' {field}");
    }

    [Fact]
    public void ReadsTheOfflineModelToo()
    {
        EmbeddingSimilarityScorer.ReadModel(Definition("embedding-similarity", """{"model": {"provider": "offline"}}"""))!.Provider.Should().Be("offline");
    }
}
